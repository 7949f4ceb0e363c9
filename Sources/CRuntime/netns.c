#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>
#include "netns.h"

/* Swift's Glibc module exports neither unshare() nor CLONE_NEWNET; the thread that unshares
   must also run no Swift code afterwards, so the whole job is here. */

struct netns_job {
    const char *path;
    const char *step;
    int error;
};

/* `ip link set lo up` without a process: two ioctls in the new namespace. */
static int loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct ifreq req;
    memset(&req, 0, sizeof req);
    strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
    int rc = ioctl(fd, SIOCGIFFLAGS, &req);
    if (rc == 0) { req.ifr_flags |= IFF_UP; rc = ioctl(fd, SIOCSIFFLAGS, &req); }
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

static void *netns_thread(void *arg) {
    struct netns_job *job = arg;
    if (unshare(CLONE_NEWNET) != 0) { job->step = "unshare"; job->error = errno; return NULL; }
    if (loopback_up() != 0) { job->step = "loopback up"; job->error = errno; return NULL; }
    if (mount("/proc/thread-self/ns/net", job->path, "none", MS_BIND, NULL) != 0) {
        job->step = "bind mount"; job->error = errno;
    }
    return NULL;
}

int berth_netns_create(const char *path, const char **step) {
    struct netns_job job = { path, NULL, 0 };
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, netns_thread, &job);
    if (rc != 0) { if (step) *step = "pthread_create"; return -rc; }
    pthread_join(thread, NULL);
    if (job.error != 0) { if (step) *step = job.step; return -job.error; }
    return 0;
}
