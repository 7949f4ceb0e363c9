// Helpers shared by the child-path C files. Everything here is async-signal-safe.
#ifndef BERTH_CRUNTIME_INTERNAL_H
#define BERTH_CRUNTIME_INTERNAL_H

#include "cruntime.h"

/// After start: the connection `start` made, where failures before execve are reported.
extern int berth_report_fd;

/// Reports `what` (with optional `path`) and errno `err` to the parent, then exits 1.
__attribute__((noreturn)) void berth_fail(const struct berth_plan *p, const char *what, const char *path, int err);

/// Receives one message and fails unless it has type `type`.
void berth_expect(const struct berth_plan *p, int type, void *payload, int cap, int *len);

/// Writes "/proc/self/fd/<fd>" into buf (at least 32 bytes).
const char *berth_fdpath(char *buf, int fd);

/// Waits until the runtime has placed this process in its cgroup, then
/// creates the cgroup namespace if asked (its root is the cgroup we are in).
void berth_enter_cgroup(const struct berth_plan *p);

/// Sets up every filesystem op, the root propagation and the bind of the rootfs.
void berth_setup_mounts(const struct berth_plan *p);

/// Switches root to the rootfs: pivot_root, or chroot for ramfs roots.
void berth_enter_root(const struct berth_plan *p);

/// Remounts "/" read-only and applies the post-pivot propagation.
void berth_finish_root(const struct berth_plan *p);

/// Everything after the filesystem: console, limits, credentials, seccomp, exec.
__attribute__((noreturn)) void berth_finish_process(const struct berth_plan *p);

/// Runs hooks with the state JSON on their stdin; fails on the first that fails.
void berth_run_hooks(const struct berth_plan *p, const struct berth_hook *hooks, int n,
                     const char *kind, const char *state, int len);

/// Raw fork-like clone (no atfork handlers); `flags` adds CLONE_* bits to SIGCHLD.
pid_t berth_fork(unsigned long flags);

#endif
