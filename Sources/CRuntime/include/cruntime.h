// The plan a container's child executes between clone() and execve().
//
// Swift builds a complete `berth_plan` (every path resolved, every flag computed,
// every string allocated) before it clones; the C code that runs in the child
// only walks it with raw system calls: no allocation, no locks, no stdio.
#ifndef BERTH_CRUNTIME_H
#define BERTH_CRUNTIME_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One step of filesystem setup, executed in order.
enum berth_op_kind {
    BERTH_OP_MOUNT = 1,      ///< mount(source, target, fstype, flags, data)
    BERTH_OP_BIND = 2,       ///< bind source (host path) onto target, then remount with `flags` if nonzero
    BERTH_OP_REMOUNT = 3,    ///< remount target with `flags` (keeps locked nosuid/nodev/noexec)
    BERTH_OP_PROPAGATE = 4,  ///< change propagation of target to `flags`
    BERTH_OP_MKNOD = 5,      ///< mknod target with `mode`, `dev`, owned by uid/gid
    BERTH_OP_SYMLINK = 6,    ///< symlink target -> source
    BERTH_OP_MASK = 7,       ///< hide target: /dev/null over files, read-only tmpfs over dirs
    BERTH_OP_READONLY = 8,   ///< bind target onto itself, read-only
    BERTH_OP_MKDIR = 9,      ///< create target and missing parents (the process' cwd)
};

/// One filesystem operation, run in the container's mount namespace before pivot_root.
/// `target` is a path inside the container, resolved under the rootfs with
/// openat2(RESOLVE_IN_ROOT): symlinks and ".." never lead out of it.
struct berth_op {
    int kind;
    const char *source;      ///< host path (bind) or fs source or symlink target; may be NULL
    const char *target;      ///< path inside the container, absolute ("/proc")
    const char *fstype;      ///< for BERTH_OP_MOUNT
    const char *data;        ///< fs-specific options; may be NULL
    unsigned long flags;     ///< MS_* flags
    unsigned long propagation; ///< MS_SHARED|MS_SLAVE|MS_PRIVATE|MS_UNBINDABLE (|MS_REC) after mounting, or 0
    int create_file;         ///< create the target as a file (bind of a file), not a directory
    int optional;            ///< a missing target/source is not an error (masked/readonly paths)
    unsigned int mode;       ///< for MKNOD (type|perm)
    uint64_t dev;            ///< for MKNOD
    uid_t uid;
    gid_t gid;
};

/// A hook run by the child itself (createContainer, startContainer).
struct berth_hook {
    const char *path;
    char *const *argv;
    char *const *envp;
    int timeout;             ///< seconds, 0 = none
};

struct berth_rlimit { int resource; uint64_t soft; uint64_t hard; };
struct berth_sysctl { const char *path; const char *value; };

/// The messages between the runtime and its children on the sync socket.
enum berth_msg_type {
    BERTH_MSG_USERNS = 1,     ///< child → parent: write my uid/gid maps now
    BERTH_MSG_GO = 2,         ///< parent → child: continue (to stage 2: you are in your cgroup)
    BERTH_MSG_PID = 3,        ///< child → parent: the container process' pid is `value`; `err` 1 when it was
                              ///< born in the v2 cgroup (CLONE_INTO_CGROUP), 0 when the runtime must move it
    BERTH_MSG_HOOKS = 4,      ///< child → parent: mounts are ready, run prestart/createRuntime hooks
    BERTH_MSG_HOOKS_DONE = 5, ///< parent → child: hooks ran; payload is the state JSON for container hooks
    BERTH_MSG_READY = 6,      ///< child → parent: created, waiting for start
    BERTH_MSG_ERROR = 7,      ///< child → parent: `text` failed with errno `value`
};

/// The fixed-size header of every sync message; `text` carries a path or step name.
struct berth_msg {
    int32_t type;
    int32_t value;
    int32_t err;
    char text[500];
};

/// Everything the child does, decided in advance.
struct berth_plan {
    /* namespaces */
    int join_fds[8];          ///< namespace fds to setns() into, user first
    int join_types[8];        ///< CLONE_NEW* of each
    int njoin;
    int unshare_flags;        ///< new namespaces (CLONE_NEW*), cgroup excluded
    int new_cgroupns;         ///< unshare(CLONE_NEWCGROUP) once inside the cgroup
    int new_userns;           ///< ask the parent to write uid/gid maps
    const char *timens_offsets; ///< written to /proc/self/timens_offsets for a new time ns, or NULL
    int exec_mode;            ///< joining an existing container: no filesystem setup

    /* filesystem */
    const char *rootfs;       ///< absolute host path of the root filesystem
    unsigned long root_propagation_pre;  ///< applied to "/" before any mount (MS_REC|MS_SLAVE default)
    unsigned long root_propagation_post; ///< applied to "/" after pivot_root, or 0
    int readonly_root;
    int no_pivot;             ///< chroot instead of pivot_root (ramfs roots)
    const struct berth_op *ops;
    int nops;
    int cgroup_sync_op;       ///< before this op (nops: after all) wait for the runtime to place us in our cgroup
    /* cgroup placement without the global migration lock (see berth_join_cgroup) */
    const int *cgroup_task_fds; ///< v1 `tasks` files opened for writing: stage 2 writes "0" (itself) to each
    int ncgroup_task_fds;
    int cgroup_clone_fd;      ///< v2 cgroup directory for clone3(CLONE_INTO_CGROUP) of stage 2, or -1
    const struct berth_sysctl *sysctls;
    int nsysctls;
    const char *hostname;     ///< or NULL
    const char *domainname;   ///< or NULL

    /* hooks run in the container namespaces */
    const struct berth_hook *create_container_hooks;
    int ncreate_container_hooks;
    const struct berth_hook *start_container_hooks;
    int nstart_container_hooks;
    int hooks_sync;           ///< stop after mounts for the parent's prestart/createRuntime hooks
    char *state_buf;          ///< receives the state JSON for createContainer hooks, a NUL, and the one for startContainer
    int state_cap;

    /* process */
    const char *const *path_dirs; ///< PATH entries to search when args[0] has no '/'
    int npath_dirs;
    char *const *argv;
    char *const *envp;
    const char *cwd;
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    int ngroups;
    int set_groups;           ///< call setgroups(groups)
    int umask;                ///< -1 to keep 0022
    const struct berth_rlimit *rlimits;
    int nrlimits;
    int set_caps;
    uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
    int cap_last;             ///< highest capability number the kernel knows
    int no_new_privs;
    int set_oom_score_adj;
    int oom_score_adj;
    int set_personality;
    unsigned long personality;
    int set_ioprio;
    int ioprio;

    /* seccomp: a classic BPF program compiled by the parent */
    const void *seccomp_filter;  ///< struct sock_filter[]
    unsigned short seccomp_len;  ///< instructions
    unsigned int seccomp_flags;

    /* stdio and synchronisation */
    int terminal;
    int console_fd;          ///< connected console socket, or -1
    unsigned short console_rows, console_cols;
    int sync_fd;             ///< SOCK_SEQPACKET to the parent
    int parent_sync_fd;      ///< the runtime's end, closed first thing in the child
    int start_fd;            ///< listening socket (create) or pipe read end (run); -1: exec at once
    int start_is_listener;
    int preserve_fds;        ///< fds 3..3+n-1 survive into the container
};

/// Clones the first child, which runs `plan` and never returns. Returns its pid or -errno.
pid_t berth_spawn(const struct berth_plan *plan);

/// Sends one sync message (async-signal-safe).
int berth_send(int fd, int type, int value, int err, const char *text);

/// Sends a message with an arbitrary payload (HOOKS_DONE carries the state JSON).
int berth_send_payload(int fd, int type, const void *payload, int len);

/// Receives one sync message; a payload beyond the header goes to `payload` (may be NULL).
/// Returns the number of payload bytes, or -errno; 0 bytes and type 0 means EOF.
int berth_recv(int fd, struct berth_msg *msg, void *payload, int payload_cap);

/// Installs handlers that forward common signals to `pid` (run/exec in the foreground).
void berth_forward_signals(pid_t pid);

/// Sends `fd` over the unix socket `sock` with SCM_RIGHTS.
int berth_send_fd(int sock, int fd);

/// Receives a file descriptor sent with SCM_RIGHTS; returns it or -errno.
int berth_recv_fd(int sock);

/// pipe2(fds, O_CLOEXEC); 0 or -1 with errno.
int berth_pipe(int fds[2]);

/// pidfd_open(pid, 0): a descriptor that polls readable when `pid` exits, or -1.
int berth_pidfd_open(pid_t pid);

/// O_PATH, which Swift's Glibc module does not export.
int berth_o_path(void);


/// The filesystem magic (statfs f_type) of `path`, or -errno.
int64_t berth_fs_type(const char *path);

#ifdef __cplusplus
}
#endif
#endif
