// Starts the RCU grace period of a cgroup migration early (see berth_cgroup_warmup).
#define _GNU_SOURCE
#include "cruntime.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *warmup(void *arg) {
    char *path = arg;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        char pid[16];
        int n = 0;
        unsigned int v = (unsigned int)getpid();
        char digits[16];
        int k = 0;
        do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v);
        while (k) pid[n++] = digits[--k];
        (void)!write(fd, pid, (size_t)n);
        close(fd);
    }
    free(path);
    return NULL;
}

void berth_cgroup_warmup(const char *procs_path) {
    pthread_t thread;
    pthread_attr_t attr;
    char *path = strdup(procs_path);
    if (!path) return;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, warmup, path) != 0) free(path);
    pthread_attr_destroy(&attr);
}
