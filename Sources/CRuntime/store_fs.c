// Filesystem helpers for the image store; see include/store_fs.h.
#define _GNU_SOURCE
#include "store_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif

/// Drains the fs context's message log into errbuf (last message wins).
static void drain_log(int fsfd, char *errbuf, size_t errlen) {
    if (errbuf == NULL || errlen == 0) return;
    char msg[512];
    for (;;) {
        ssize_t n = read(fsfd, msg, sizeof msg - 1);
        if (n <= 0) break;
        msg[n] = '\0';
        size_t len = (size_t)n < errlen - 1 ? (size_t)n : errlen - 1;
        memcpy(errbuf, msg, len);
        errbuf[len] = '\0';
    }
}

static int set_string(int fsfd, const char *key, const char *value) {
    return fsconfig(fsfd, FSCONFIG_SET_STRING, key, value, 0);
}

int berth_store_overlay_fsconfig(const char *const *lowers, int nlowers,
                                 const char *upper, const char *work,
                                 const char *target, int readonly,
                                 char *errbuf, size_t errlen) {
    if (errbuf && errlen) errbuf[0] = '\0';
    int fsfd = fsopen("overlay", FSOPEN_CLOEXEC);
    if (fsfd < 0) return -errno;
    int rc = 0;
    for (int i = 0; i < nlowers && rc == 0; i++) {
        if (set_string(fsfd, "lowerdir+", lowers[i]) < 0) rc = -errno;
    }
    if (rc == 0 && upper && set_string(fsfd, "upperdir", upper) < 0) rc = -errno;
    if (rc == 0 && work && set_string(fsfd, "workdir", work) < 0) rc = -errno;
    if (rc == 0 && fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) rc = -errno;
    if (rc != 0) {
        drain_log(fsfd, errbuf, errlen);
        close(fsfd);
        return rc;
    }
    int mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, readonly ? MOUNT_ATTR_RDONLY : 0);
    if (mfd < 0) {
        rc = -errno;
        drain_log(fsfd, errbuf, errlen);
        close(fsfd);
        return rc;
    }
    close(fsfd);
    if (move_mount(mfd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) rc = -errno;
    close(mfd);
    return rc;
}

struct in_dir_args {
    const char *dir;
    const char *options;
    const char *target;
    unsigned long flags;
    int result;
};

static void *in_dir_thread(void *p) {
    struct in_dir_args *a = p;
    // A private fs context: this thread's cwd no longer is the process' cwd.
    if (unshare(CLONE_FS) < 0) { a->result = -errno; return NULL; }
    if (chdir(a->dir) < 0) { a->result = -errno; return NULL; }
    if (mount("overlay", a->target, "overlay", a->flags, a->options) < 0) {
        a->result = -errno;
        return NULL;
    }
    a->result = 0;
    return NULL;
}

int berth_store_overlay_in_dir(const char *dir, const char *options,
                               const char *target, unsigned long flags) {
    struct in_dir_args args = { dir, options, target, flags, -EINVAL };
    pthread_t thread;
    int err = pthread_create(&thread, NULL, in_dir_thread, &args);
    if (err != 0) return -err;
    pthread_join(thread, NULL);
    return args.result;
}

int berth_store_bind_readonly(const char *source, const char *target) {
    int tfd = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tfd < 0) return -errno;
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_RDONLY;
    int rc = 0;
    if (mount_setattr(tfd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) rc = -errno;
    if (rc == 0 && move_mount(tfd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) rc = -errno;
    close(tfd);
    return rc;
}

int berth_store_syncfs(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
    if (fd < 0) fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int rc = syncfs(fd) < 0 ? -errno : 0;
    close(fd);
    return rc;
}
