// The last steps before execve: console, limits, credentials, seccomp, hooks.
// Async-signal-safe: system calls, stack buffers, no allocation.
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static void setup_console(const struct berth_plan *p) {
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) berth_fail(p, "opening", "/dev/ptmx", errno);
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) berth_fail(p, "unlocking pty", NULL, errno);
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (slave < 0) berth_fail(p, "opening pty peer", NULL, errno);
    if (p->console_rows || p->console_cols) {
        struct winsize ws = {.ws_row = p->console_rows, .ws_col = p->console_cols};
        ioctl(slave, TIOCSWINSZ, &ws);
    }
    int r = berth_send_fd(p->console_fd, master);
    if (r < 0) berth_fail(p, "sending pty master to console socket", NULL, -r);
    close(master);
    close(p->console_fd);
    if (setsid() < 0) berth_fail(p, "setsid", NULL, errno);
    if (ioctl(slave, TIOCSCTTY, 0) < 0) berth_fail(p, "setting controlling terminal", NULL, errno);
    for (int i = 0; i < 3; i++)
        if (dup2(slave, i) < 0) berth_fail(p, "redirecting stdio to pty", NULL, errno);
    if (slave > 2) close(slave);
}

static void set_limits(const struct berth_plan *p) {
    for (int i = 0; i < p->nrlimits; i++) {
        struct rlimit rl = {.rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard};
        if (setrlimit(p->rlimits[i].resource, &rl) < 0) berth_fail(p, "setting rlimit", NULL, errno);
    }
    if (p->set_personality && personality(p->personality) < 0) berth_fail(p, "setting personality", NULL, errno);
    if (p->set_ioprio && syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, p->ioprio) < 0)
        berth_fail(p, "setting I/O priority", NULL, errno);
}

static void load_seccomp(const struct berth_plan *p) {
    struct sock_fprog prog = {.len = p->seccomp_len, .filter = (struct sock_filter *)p->seccomp_filter};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->seccomp_flags, &prog) < 0)
        berth_fail(p, "loading seccomp filter", NULL, errno);
}

static void set_credentials(const struct berth_plan *p) {
    if (p->set_caps) {
        for (int c = 0; c <= p->cap_last; c++)
            if (!((p->cap_bounding >> c) & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
                berth_fail(p, "dropping bounding capability", NULL, errno);
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) berth_fail(p, "keeping capabilities", NULL, errno);
    }
    // Raw system calls: glibc's wrappers broadcast credential changes to every
    // thread the parent had (__nptl_setxid), and those threads do not exist here.
    if (p->set_groups && syscall(SYS_setgroups, (size_t)p->ngroups, p->groups) < 0)
        berth_fail(p, "setting supplementary groups", NULL, errno);
    if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0) berth_fail(p, "setting gid", NULL, errno);
    if (syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0) berth_fail(p, "setting uid", NULL, errno);
    if (!p->set_caps) return;
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) berth_fail(p, "resetting keepcaps", NULL, errno);
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    data[0].effective = (uint32_t)p->cap_effective;
    data[1].effective = (uint32_t)(p->cap_effective >> 32);
    data[0].permitted = (uint32_t)p->cap_permitted;
    data[1].permitted = (uint32_t)(p->cap_permitted >> 32);
    data[0].inheritable = (uint32_t)p->cap_inheritable;
    data[1].inheritable = (uint32_t)(p->cap_inheritable >> 32);
    if (syscall(SYS_capset, &hdr, data) < 0) berth_fail(p, "setting capabilities", NULL, errno);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        berth_fail(p, "clearing ambient capabilities", NULL, errno);
    for (int c = 0; c <= p->cap_last; c++)
        if (((p->cap_ambient >> c) & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
            berth_fail(p, "raising ambient capability", NULL, errno);
}

/// Finds args[0] the way execvp would, in the container's PATH. Writes the result to `out`.
static int find_program(const struct berth_plan *p, char *out, size_t cap) {
    const char *name = p->argv[0];
    struct stat st;
    if (strchr(name, '/')) {
        size_t n = strlen(name);
        if (n >= cap) return ENAMETOOLONG;
        memcpy(out, name, n + 1);
        if (stat(out, &st) < 0) return errno;
        return 0;
    }
    int err = ENOENT;
    for (int i = 0; i < p->npath_dirs; i++) {
        size_t d = strlen(p->path_dirs[i]), n = strlen(name);
        if (d + n + 2 > cap) continue;
        memcpy(out, p->path_dirs[i], d);
        out[d] = '/';
        memcpy(out + d + 1, name, n + 1);
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(out, X_OK) == 0) return 0;
            err = EACCES;
        }
    }
    return err;
}

static void wait_for_start(const struct berth_plan *p) {
    if (p->start_fd < 0) return;
    if (p->start_is_listener) {
        int c;
        do { c = accept4(p->start_fd, NULL, NULL, SOCK_CLOEXEC); } while (c < 0 && errno == EINTR);
        if (c < 0) berth_fail(p, "waiting for start", NULL, errno);
        berth_report_fd = c;  // close-on-exec: `start` sees EOF once execve succeeded
    } else {
        char b;
        ssize_t n;
        do { n = read(p->start_fd, &b, 1); } while (n < 0 && errno == EINTR);
        if (n != 1) _exit(1);  // the runtime gave up before starting us
    }
    close(p->start_fd);
}

static void reset_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < 65; s++)
        if (s != SIGKILL && s != SIGSTOP) sigaction(s, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

void berth_run_hooks(const struct berth_plan *p, const struct berth_hook *hooks, int n,
                     const char *kind, const char *state, int len) {
    for (int i = 0; i < n; i++) {
        const struct berth_hook *h = &hooks[i];
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) < 0) berth_fail(p, kind, h->path, errno);
        pid_t pid = berth_fork(0);
        if (pid < 0) berth_fail(p, kind, h->path, errno);
        if (pid == 0) {
            dup2(fds[0], 0);
            execve(h->path, h->argv, h->envp);
            _exit(127);
        }
        close(fds[0]);
        for (int off = 0; off < len;) {
            ssize_t w = write(fds[1], state + off, (size_t)(len - off));
            if (w <= 0) break;  // the hook does not read its stdin: fine
            off += (int)w;
        }
        close(fds[1]);
        int status = 0;
        if (h->timeout > 0) {
            int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
            struct pollfd pf = {.fd = pfd, .events = POLLIN};
            int r;
            do { r = poll(&pf, 1, h->timeout * 1000); } while (r < 0 && errno == EINTR);
            if (r == 0) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                berth_fail(p, kind, h->path, ETIMEDOUT);
            }
            close(pfd);
        }
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            berth_fail(p, kind, h->path, WIFEXITED(status) ? 1000 + WEXITSTATUS(status) : 2000 + WTERMSIG(status));
    }
}

void berth_finish_process(const struct berth_plan *p) {
    if (p->terminal && p->console_fd >= 0) setup_console(p);
    set_limits(p);
    int early_seccomp = p->seccomp_filter && !p->no_new_privs;
    if (early_seccomp) load_seccomp(p);
    int cwd_done = chdir(p->cwd) == 0;
    if (!cwd_done && errno != EACCES) berth_fail(p, "changing to working directory", p->cwd, errno);
    set_credentials(p);
    if (!cwd_done && chdir(p->cwd) < 0) berth_fail(p, "changing to working directory", p->cwd, errno);
    // CVE-2024-21626: the working directory must be inside the container's root.
    char cwd[4096];
    long r = syscall(SYS_getcwd, cwd, sizeof cwd);
    if (r < 0 || cwd[0] != '/') berth_fail(p, "working directory is outside the container", p->cwd, EPERM);
    if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) berth_fail(p, "setting no_new_privs", NULL, errno);
    char program[4096];
    int err = find_program(p, program, sizeof program);
    if (err) berth_fail(p, "exec: executable file not found in $PATH:", p->argv[0], err);
    // No host descriptor survives execve (CVE-2024-21626); 0-2 and preserved fds do.
    if (syscall(SYS_close_range, 3 + p->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        berth_fail(p, "marking descriptors close-on-exec", NULL, errno);
    umask(p->umask >= 0 ? (mode_t)p->umask : 022);
    berth_send(p->sync_fd, BERTH_MSG_READY, 0, 0, NULL);
    wait_for_start(p);
    if (p->nstart_container_hooks) {
        // startContainer hooks see the state the runtime sent with HOOKS_DONE (or none).
        const char *state = p->state_buf ? p->state_buf + strlen(p->state_buf) + 1 : NULL;
        berth_run_hooks(p, p->start_container_hooks, p->nstart_container_hooks, "startContainer hook",
                        state, state ? (int)strlen(state) : 0);
    }
    if (p->seccomp_filter && !early_seccomp) load_seccomp(p);
    reset_signals();
    execve(program, p->argv, p->envp);
    berth_fail(p, "exec", program, errno);
}
