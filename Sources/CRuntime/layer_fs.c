// Helpers for ImageStore's layer applier and differ; see include/layer_fs.h.
//
// Extended attributes of an entry that may be a symlink, a device or a fifo
// cannot be reached through a descriptor of the entry itself (fsetxattr needs a
// real open, which would follow symlinks or block on fifos). Instead the entry
// is named as "/proc/self/fd/<dirfd>/<name>" and used with the l*xattr calls:
// the directory is pinned by its descriptor and the last component is not
// followed, so no symlink in the tree is ever traversed.
#define _GNU_SOURCE
#include "layer_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* Builds "/proc/self/fd/<dirfd>/<name>"; refuses names that are not one component.
 * "." names the directory `dirfd` itself. */
static int layer_proc_path(char *buf, size_t len, int dirfd, const char *name) {
    if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL ||
        strcmp(name, "..") == 0) {
        errno = EINVAL;
        return -1;
    }
    int n = snprintf(buf, len, "/proc/self/fd/%d/%s", dirfd, name);
    if (n < 0 || (size_t)n >= len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int berth_layer_setxattr_at(int dirfd, const char *name, const char *key,
                            const void *value, size_t size) {
    char path[4096 + 64];
    if (layer_proc_path(path, sizeof path, dirfd, name) < 0) return -1;
    return lsetxattr(path, key, value, size, 0);
}

ssize_t berth_layer_getxattr_at(int dirfd, const char *name, const char *key,
                                void *value, size_t size) {
    char path[4096 + 64];
    if (layer_proc_path(path, sizeof path, dirfd, name) < 0) return -1;
    return lgetxattr(path, key, value, size);
}

ssize_t berth_layer_listxattr_at(int dirfd, const char *name, char *list, size_t size) {
    char path[4096 + 64];
    if (layer_proc_path(path, sizeof path, dirfd, name) < 0) return -1;
    return llistxattr(path, list, size);
}

int berth_layer_rename_noreplace(int olddirfd, const char *oldname,
                                 int newdirfd, const char *newname) {
    return (int)syscall(SYS_renameat2, olddirfd, oldname, newdirfd, newname, RENAME_NOREPLACE);
}
