// Filesystem calls the layer applier and differ need but Swift cannot reach:
// extended attributes (sys/xattr.h is not in Swift's Glibc module) and
// renameat2(RENAME_NOREPLACE). Every call names its object as a directory
// descriptor plus one path component, so nothing is resolved by string joining
// and the final component is never followed when it is a symlink.
#ifndef BERTH_LAYER_FS_H
#define BERTH_LAYER_FS_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Sets extended attribute `key` on the entry `name` ("." for `dirfd` itself) of directory `dirfd`,
/// without following `name` if it is a symlink. Returns 0, or -1 with errno set.
int berth_layer_setxattr_at(int dirfd, const char *name, const char *key,
                            const void *value, size_t size);

/// Reads extended attribute `key` of the entry `name` of `dirfd` (not followed)
/// into `value`; with `size` 0, returns the size needed. -1 with errno on failure.
ssize_t berth_layer_getxattr_at(int dirfd, const char *name, const char *key,
                                void *value, size_t size);

/// Lists the extended attribute names of the entry `name` of `dirfd` (not
/// followed), NUL-separated, into `list`; with `size` 0, returns the size needed.
ssize_t berth_layer_listxattr_at(int dirfd, const char *name, char *list, size_t size);

/// Renames `oldname` in `olddirfd` to `newname` in `newdirfd`, failing with
/// EEXIST instead of replacing an existing entry (renameat2 RENAME_NOREPLACE).
int berth_layer_rename_noreplace(int olddirfd, const char *oldname,
                                 int newdirfd, const char *newname);

#ifdef __cplusplus
}
#endif

#endif
