// Filesystem helpers for the image store (ImageStore/Snapshots): overlay and
// read-only bind mounts through the new mount API, and the docker-style mount
// from a private working directory. Called from ordinary (multi-threaded) code,
// never from the clone child.
#ifndef BERTH_STORE_FS_H
#define BERTH_STORE_FS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Mounts overlayfs on `target` with fsopen/fsconfig/fsmount/move_mount, passing
/// each lower directory (top first) as its own "lowerdir+" parameter, so the
/// number of layers is not bounded by a page of mount options (Linux >= 6.8).
/// `upper` and `work` may both be NULL for a read-only overlay.
/// Returns 0, or -errno; the kernel's message (if any) is copied into `errbuf`.
int berth_store_overlay_fsconfig(const char *const *lowers, int nlowers,
                                 const char *upper, const char *work,
                                 const char *target, int readonly,
                                 char *errbuf, size_t errlen);

/// Runs mount("overlay", target, "overlay", flags, options) from a helper thread
/// that has unshared its filesystem context (CLONE_FS) and chdir'd to `dir`,
/// so relative lowerdir names ("l/ABC:l/DEF") resolve against `dir` without
/// changing the process' working directory. `target` must be absolute.
/// Returns 0 or -errno.
int berth_store_overlay_in_dir(const char *dir, const char *options,
                               const char *target, unsigned long flags);

/// Bind-mounts `source` on `target` read-only in one step (open_tree clone,
/// mount_setattr MOUNT_ATTR_RDONLY, move_mount): there is never a writable window.
/// Returns 0 or -errno.
int berth_store_bind_readonly(const char *source, const char *target);

/// syncfs(2) on the filesystem holding `path`. Returns 0 or -errno.
int berth_store_syncfs(const char *path);

#ifdef __cplusplus
}
#endif

#endif
