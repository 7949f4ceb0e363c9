#ifndef BERTH_NETNS_H
#define BERTH_NETNS_H
#ifdef __cplusplus
extern "C" {
#endif

/// Creates a new network namespace with `lo` up and pins it with a bind mount on `path` (an existing
/// empty file). The unshare runs on a short-lived thread of its own, so no other thread of
/// the caller ever changes namespace. 0, or -errno; `*step` names the step that failed.
int berth_netns_create(const char *path, const char **step);

#ifdef __cplusplus
}
#endif
#endif
