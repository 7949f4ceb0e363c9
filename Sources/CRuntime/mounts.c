// Filesystem setup in the child's new mount namespace, before pivot_root.
// Every target is resolved under the rootfs with openat2(RESOLVE_IN_ROOT) and
// mounted through its /proc/self/fd path, so neither a symlink planted in the
// image nor a race can redirect a mount onto the host.
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef ST_NOSUID
#define ST_NOSUID 2
#define ST_NODEV 4
#define ST_NOEXEC 8
#endif

static int open_in_root(int rootfd, const char *path) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (*path == '/') path++;
    if (!*path) path = ".";
    int fd;
    do { fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how); } while (fd < 0 && errno == EAGAIN);
    return fd;
}

/// Resolves `target` under the root, creating missing directories (and the last
/// component as a file when `create == 2`). Returns an O_PATH fd or -1 with errno.
static int resolve(int rootfd, const char *target, int create) {
    int fd = open_in_root(rootfd, target);
    if (fd >= 0 || errno != ENOENT || !create) return fd;

    char buf[4096];
    size_t len = strlen(target);
    if (len >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, target, len + 1);

    int parent = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
    size_t i = 0;
    while (i < len) {
        while (i < len && buf[i] == '/') i++;
        if (i >= len) break;
        size_t start = i;
        while (i < len && buf[i] != '/') i++;
        char saved = buf[i];
        buf[i] = 0;
        int next = open_in_root(rootfd, buf);
        if (next < 0 && errno == ENOENT) {
            const char *name = buf + start;
            int last = (i >= len);
            if (last && create == 2) {
                int f = openat(parent, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
                if (f < 0 && errno != EEXIST) { close(parent); return -1; }
                if (f >= 0) close(f);
            } else if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST) {
                close(parent);
                return -1;
            }
            next = open_in_root(rootfd, buf);
        }
        buf[i] = saved;
        close(parent);
        if (next < 0) return -1;
        parent = next;
    }
    return parent;
}

/// Splits "/a/b/name" into the resolved (created) parent fd and the last component.
static int resolve_parent(int rootfd, const char *target, char *dir, const char **name) {
    size_t len = strlen(target);
    if (len >= 4096) { errno = ENAMETOOLONG; return -1; }
    memcpy(dir, target, len + 1);
    char *slash = strrchr(dir, '/');
    if (!slash) { *name = target; return fcntl(rootfd, F_DUPFD_CLOEXEC, 0); }
    *slash = 0;
    *name = target + (slash - dir) + 1;
    return resolve(rootfd, dir, 1);
}

/// Remounts the mount at `fd` with `flags`; if the kernel refuses (a mount
/// locked by a user namespace), retries keeping its nosuid/nodev/noexec.
/* A bind remount keeps the mount's nosuid/nodev/noexec (as runc does: /proc/sys stays
 * ro,nosuid,nodev,noexec); they are also required where the kernel locked them (EPERM). */
static int remount_path(int fd, const char *path, unsigned long flags) {
    flags |= MS_REMOUNT;
    struct statfs st;
    if (fstatfs(fd, &st) == 0) {
        if (st.f_flags & ST_NOSUID) flags |= MS_NOSUID;
        if (st.f_flags & ST_NODEV) flags |= MS_NODEV;
        if (st.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
    }
    return mount(NULL, path, NULL, flags, NULL);
}

static int remount(int fd, unsigned long flags) {
    char path[32];
    return remount_path(fd, berth_fdpath(path, fd), flags);
}

static void do_op(const struct berth_plan *p, int rootfd, const struct berth_op *op) {
    char path[32], dir[4096];
    const char *name;
    int fd;
    switch (op->kind) {
    case BERTH_OP_MOUNT:
        fd = resolve(rootfd, op->target, op->create_file ? 2 : 1);
        if (fd < 0) berth_fail(p, "creating mount point", op->target, errno);
        if (mount(op->source, berth_fdpath(path, fd), op->fstype, op->flags, op->data) < 0)
            berth_fail(p, "mounting", op->target, errno);
        close(fd);
        break;
    case BERTH_OP_BIND:
        fd = resolve(rootfd, op->target, op->create_file ? 2 : 1);
        if (fd < 0) berth_fail(p, "creating mount point", op->target, errno);
        if (mount(op->source, berth_fdpath(path, fd), NULL, MS_BIND | (op->flags & MS_REC), NULL) < 0) {
            if (op->optional && errno == ENOENT) { close(fd); return; }
            berth_fail(p, "bind mounting", op->target, errno);
        }
        close(fd);
        if (op->flags & ~(unsigned long)(MS_BIND | MS_REC)) {
            fd = open_in_root(rootfd, op->target);
            if (fd < 0 || remount(fd, op->flags | MS_BIND) < 0) berth_fail(p, "remounting", op->target, errno);
            close(fd);
        }
        break;
    case BERTH_OP_REMOUNT:
        fd = open_in_root(rootfd, op->target);
        if (fd < 0 || remount(fd, op->flags) < 0) berth_fail(p, "remounting", op->target, errno);
        close(fd);
        break;
    case BERTH_OP_MKNOD:
        fd = resolve_parent(rootfd, op->target, dir, &name);
        if (fd < 0) berth_fail(p, "creating directory for device", op->target, errno);
        if (mknodat(fd, name, op->mode, op->dev) < 0 && errno != EEXIST)
            berth_fail(p, "creating device", op->target, errno);
        if (fchownat(fd, name, op->uid, op->gid, AT_SYMLINK_NOFOLLOW) < 0)
            berth_fail(p, "changing owner of device", op->target, errno);
        close(fd);
        break;
    case BERTH_OP_SYMLINK:
        fd = resolve_parent(rootfd, op->target, dir, &name);
        if (fd < 0) berth_fail(p, "creating directory for symlink", op->target, errno);
        if (symlinkat(op->source, fd, name) < 0 && errno != EEXIST)
            berth_fail(p, "creating symlink", op->target, errno);
        close(fd);
        break;
    case BERTH_OP_MASK: {
        fd = open_in_root(rootfd, op->target);
        if (fd < 0) {
            if (errno == ENOENT) return;
            berth_fail(p, "masking", op->target, errno);
        }
        struct stat st;
        if (fstat(fd, &st) < 0) berth_fail(p, "masking", op->target, errno);
        berth_fdpath(path, fd);
        int r = S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL)
                                    : mount("/dev/null", path, NULL, MS_BIND, NULL);
        if (r < 0) berth_fail(p, "masking", op->target, errno);
        close(fd);
        break;
    }
    case BERTH_OP_READONLY:
        fd = open_in_root(rootfd, op->target);
        if (fd < 0) {
            if (errno == ENOENT) return;
            berth_fail(p, "making read-only", op->target, errno);
        }
        berth_fdpath(path, fd);
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) berth_fail(p, "making read-only", op->target, errno);
        close(fd);
        fd = open_in_root(rootfd, op->target);
        if (fd < 0 || remount(fd, MS_BIND | MS_RDONLY) < 0) berth_fail(p, "making read-only", op->target, errno);
        close(fd);
        break;
    case BERTH_OP_MKDIR:
        fd = resolve(rootfd, op->target, 1);
        if (fd < 0) berth_fail(p, "creating directory", op->target, errno);
        close(fd);
        break;
    default:
        berth_fail(p, "unknown filesystem op", op->target, EINVAL);
    }
    if (op->propagation && (op->kind == BERTH_OP_MOUNT || op->kind == BERTH_OP_BIND)) {
        fd = open_in_root(rootfd, op->target);
        if (fd < 0 || mount(NULL, berth_fdpath(path, fd), NULL, op->propagation, NULL) < 0)
            berth_fail(p, "setting propagation of", op->target, errno);
        close(fd);
    }
}

void berth_setup_mounts(const struct berth_plan *p) {
    if (mount(NULL, "/", NULL, p->root_propagation_pre, NULL) < 0)
        berth_fail(p, "setting propagation of /", NULL, errno);
    if (mount(p->rootfs, p->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        berth_fail(p, "bind mounting rootfs", p->rootfs, errno);
    int rootfd = open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) berth_fail(p, "opening rootfs", p->rootfs, errno);
    for (int i = 0; i < p->nops; i++) {
        if (i == p->cgroup_sync_op) berth_enter_cgroup(p);
        do_op(p, rootfd, &p->ops[i]);
    }
    if (p->cgroup_sync_op >= p->nops) berth_enter_cgroup(p);
    close(rootfd);
}

void berth_enter_root(const struct berth_plan *p) {
    if (p->no_pivot) {
        if (chdir(p->rootfs) < 0) berth_fail(p, "entering rootfs", p->rootfs, errno);
        if (mount(p->rootfs, "/", NULL, MS_MOVE, NULL) < 0) berth_fail(p, "moving rootfs to /", NULL, errno);
        if (chroot(".") < 0) berth_fail(p, "chroot", p->rootfs, errno);
        if (chdir("/") < 0) berth_fail(p, "chdir /", NULL, errno);
        return;
    }
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    int newroot = open(p->rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0 || newroot < 0) berth_fail(p, "opening rootfs", p->rootfs, errno);
    if (fchdir(newroot) < 0) berth_fail(p, "entering rootfs", p->rootfs, errno);
    // pivot_root(".", ".") stacks the old root on top of the new one; detach it after.
    if (syscall(SYS_pivot_root, ".", ".") < 0) berth_fail(p, "pivot_root", p->rootfs, errno);
    if (fchdir(oldroot) < 0) berth_fail(p, "entering old root", NULL, errno);
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) berth_fail(p, "making old root a slave", NULL, errno);
    if (umount2(".", MNT_DETACH) < 0) berth_fail(p, "detaching old root", NULL, errno);
    if (chdir("/") < 0) berth_fail(p, "chdir /", NULL, errno);
    close(oldroot);
    close(newroot);
}

void berth_finish_root(const struct berth_plan *p) {
    if (p->readonly_root) {
        int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || remount_path(fd, "/", MS_BIND | MS_RDONLY) < 0) berth_fail(p, "making root read-only", NULL, errno);
        close(fd);
    }
    if (p->root_propagation_post && mount(NULL, "/", NULL, p->root_propagation_post, NULL) < 0)
        berth_fail(p, "setting propagation of /", NULL, errno);
}
