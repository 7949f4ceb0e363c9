// The two children of a container start.
//
// stage 1 joins the namespaces given by path, creates the user namespace (the
// runtime writes its maps), unshares the rest, and forks stage 2 with
// CLONE_PARENT so the runtime is its parent. Stage 2 is the container's first
// process: it enters the new cgroup namespace, sets up the filesystem, pivots,
// and finishes the process up to execve. Both only run async-signal-safe code.
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

// Writing "0" to a v1 `tasks` file moves the writing thread alone, and the kernel
// skips the global cgroup_threadgroup_rwsem for it; stage 2 is single-threaded, so
// that moves the whole process. Writing a pid to cgroup.procs instead takes that
// rwsem for writing, which after a quiet spell waits for an RCU grace period
// (~10 ms here): the largest part of a container start on a v1 or hybrid host.
// The files were opened by the runtime (as root; v1 checks the opener's
// credentials), so this also works from inside a new user namespace.
static void join_cgroup(const struct berth_plan *p) {
    for (int i = 0; i < p->ncgroup_task_fds; i++) {
        int fd = p->cgroup_task_fds[i];
        if (write(fd, "0", 1) != 1) berth_fail(p, "joining the container's cgroup", NULL, errno);
        close(fd);
    }
}

// clone3 with CLONE_INTO_CGROUP places stage 2 in its v2 cgroup at birth (no
// migration, no global lock). Returns -errno when the kernel refuses (an old kernel):
// the caller forks plainly and the runtime moves it. -EINVAL when not asked (no fd:
// the runtime decided against it, e.g. in a user namespace, where the kernel checks
// the caller's write access to the cgroup and refusing would cost the new pid namespace
// its init).
static pid_t fork_into_cgroup(const struct berth_plan *p, unsigned long flags) {
    if (p->cgroup_clone_fd < 0) return -EINVAL;
    struct {
        uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
    } args;
    memset(&args, 0, sizeof args);
    args.flags = flags | 0x200000000ULL;  // CLONE_INTO_CGROUP
    // With CLONE_PARENT the child inherits its parent's exit signal; clone3 refuses one given.
    args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
    args.cgroup = (uint64_t)p->cgroup_clone_fd;
    long r = syscall(SYS_clone3, &args, sizeof args);
    return r < 0 ? -errno : (pid_t)r;
}

void berth_enter_cgroup(const struct berth_plan *p) {
    berth_expect(p, BERTH_MSG_GO, NULL, 0, NULL);
    if (p->new_cgroupns && unshare(CLONE_NEWCGROUP) < 0) berth_fail(p, "creating cgroup namespace", NULL, errno);
}

__attribute__((noreturn)) static void stage2(const struct berth_plan *p) {
    join_cgroup(p);
    if (p->exec_mode) berth_enter_cgroup(p);
    if (!p->exec_mode) {
        umask(0);
        berth_setup_mounts(p);
        for (int i = 0; i < p->nsysctls; i++) {
            int fd = open(p->sysctls[i].path, O_WRONLY | O_CLOEXEC);
            if (fd < 0) berth_fail(p, "opening sysctl", p->sysctls[i].path, errno);
            size_t n = strlen(p->sysctls[i].value);
            if (write(fd, p->sysctls[i].value, n) != (ssize_t)n) berth_fail(p, "writing sysctl", p->sysctls[i].path, errno);
            close(fd);
        }
        if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
            berth_fail(p, "setting hostname", p->hostname, errno);
        if (p->domainname && setdomainname(p->domainname, strlen(p->domainname)) < 0)
            berth_fail(p, "setting domainname", p->domainname, errno);
        if (p->hooks_sync) {
            berth_send(p->sync_fd, BERTH_MSG_HOOKS, 0, 0, NULL);
            int len = 0;
            berth_expect(p, BERTH_MSG_HOOKS_DONE, p->state_buf, p->state_cap - 2, &len);
            p->state_buf[len] = 0;
            p->state_buf[len + 1] = 0;
            berth_run_hooks(p, p->create_container_hooks, p->ncreate_container_hooks, "createContainer hook",
                            p->state_buf, (int)strlen(p->state_buf));
        }
        berth_enter_root(p);
        berth_finish_root(p);
    }
    berth_finish_process(p);
}

__attribute__((noreturn)) static void stage1(const struct berth_plan *p) {
    // Until execve, /proc/<pid>/exe is this runtime binary: non-dumpable keeps a
    // process already in the container from opening it (CVE-2019-5736).
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    // Only the runtime may hold its end: then a dead child means EOF for it, and
    // a child's message after the runtime left fails instead of queueing forever.
    close(p->parent_sync_fd);
    berth_expect(p, BERTH_MSG_GO, NULL, 0, NULL);
    for (int i = 0; i < p->njoin; i++)
        if (setns(p->join_fds[i], p->join_types[i]) < 0) berth_fail(p, "joining namespace", NULL, errno);
    if (p->new_userns) {
        if (unshare(CLONE_NEWUSER) < 0) berth_fail(p, "creating user namespace", NULL, errno);
        prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);  // the runtime must be able to write our maps
        berth_send(p->sync_fd, BERTH_MSG_USERNS, 0, 0, NULL);
        berth_expect(p, BERTH_MSG_GO, NULL, 0, NULL);
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        if (syscall(SYS_setresgid, 0, 0, 0) < 0) berth_fail(p, "becoming root in the user namespace (gid 0 unmapped?)", NULL, errno);
        if (syscall(SYS_setresuid, 0, 0, 0) < 0) berth_fail(p, "becoming root in the user namespace (uid 0 unmapped?)", NULL, errno);
    }
    if (p->unshare_flags && unshare(p->unshare_flags) < 0) berth_fail(p, "creating namespaces", NULL, errno);
    if (p->timens_offsets) {
        int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
        size_t n = strlen(p->timens_offsets);
        if (fd < 0 || write(fd, p->timens_offsets, n) != (ssize_t)n) berth_fail(p, "writing time offsets", NULL, errno);
        close(fd);
    }
    pid_t pid = fork_into_cgroup(p, CLONE_PARENT);
    int born_in_cgroup = pid >= 0;
    if (pid < 0) {
        int refused = -pid;
        pid = berth_fork(CLONE_PARENT);
        // A clone3 refused after it took pid 1 of a new pid namespace leaves that namespace
        // unable to fork (ENOMEM): the refusal is the cause worth reporting.
        if (pid < 0 && refused != EINVAL)
            berth_fail(p, "creating the container process in its cgroup", NULL, refused);
    }
    if (pid < 0) berth_fail(p, "forking the container process", NULL, errno);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        stage2(p);
    }
    berth_send(p->sync_fd, BERTH_MSG_PID, pid, born_in_cgroup, NULL);
    _exit(0);
}

pid_t berth_spawn(const struct berth_plan *plan) {
    pid_t pid = berth_fork(0);
    if (pid < 0) return -errno;
    if (pid == 0) stage1(plan);
    return pid;
}
