// The sync channel between the runtime and its children, fd passing, signal forwarding.
// Async-signal-safe: only system calls and fixed buffers.
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <unistd.h>

int berth_send_payload(int fd, int type, const void *payload, int len) {
    struct berth_msg msg;
    memset(&msg, 0, sizeof msg);
    msg.type = type;
    struct iovec iov[2] = {{&msg, sizeof msg}, {(void *)payload, (size_t)(len > 0 ? len : 0)}};
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = iov;
    mh.msg_iovlen = len > 0 ? 2 : 1;
    ssize_t n;
    do { n = sendmsg(fd, &mh, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

int berth_send(int fd, int type, int value, int err, const char *text) {
    struct berth_msg msg;
    memset(&msg, 0, sizeof msg);
    msg.type = type;
    msg.value = value;
    msg.err = err;
    if (text) {
        size_t n = strlen(text);
        if (n >= sizeof msg.text) n = sizeof msg.text - 1;
        memcpy(msg.text, text, n);
    }
    ssize_t n;
    do { n = send(fd, &msg, sizeof msg, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

int berth_recv(int fd, struct berth_msg *msg, void *payload, int payload_cap) {
    memset(msg, 0, sizeof *msg);
    struct iovec iov[2] = {{msg, sizeof *msg}, {payload, (size_t)(payload ? payload_cap : 0)}};
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = iov;
    mh.msg_iovlen = payload ? 2 : 1;
    ssize_t n;
    do { n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    if (n == 0) { msg->type = 0; return 0; }
    if ((size_t)n < sizeof *msg) return -EPROTO;
    return (int)(n - (ssize_t)sizeof *msg);
}

int berth_send_fd(int sock, int fd) {
    char data = 'f';
    struct iovec iov = {&data, 1};
    union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } u;
    memset(&u, 0, sizeof u);
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = sizeof u.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    ssize_t n;
    do { n = sendmsg(sock, &mh, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

int berth_recv_fd(int sock) {
    char data;
    struct iovec iov = {&data, 1};
    union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = sizeof u.buf;
    ssize_t n;
    do { n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    if (n == 0) return -EPIPE;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return -EPROTO;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

static volatile pid_t forward_pid;

static void forward(int sig) {
    int saved = errno;
    if (forward_pid > 0) kill(forward_pid, sig);
    errno = saved;
}

void berth_forward_signals(pid_t pid) {
    forward_pid = pid;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCONT, SIGWINCH, SIGALRM};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

pid_t berth_fork(unsigned long flags) {
    return (pid_t)syscall(SYS_clone, SIGCHLD | flags, 0, 0, 0, 0);
}

const char *berth_fdpath(char *buf, int fd) {
    static const char prefix[] = "/proc/self/fd/";
    memcpy(buf, prefix, sizeof prefix - 1);
    char digits[16];
    int n = 0;
    unsigned int v = (unsigned int)fd;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    int i = sizeof prefix - 1;
    while (n) buf[i++] = digits[--n];
    buf[i] = 0;
    return buf;
}

int berth_report_fd = -1;

static size_t append(char *buf, size_t n, size_t cap, const char *s) {
    while (s && *s && n < cap) buf[n++] = *s++;
    return n;
}

static size_t append_int(char *buf, size_t n, size_t cap, int v) {
    char digits[16];
    int k = 0;
    unsigned int u = (unsigned int)(v < 0 ? -v : v);
    do { digits[k++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0 && n < cap) buf[n++] = '-';
    while (k && n < cap) buf[n++] = digits[--k];
    return n;
}

void berth_fail(const struct berth_plan *p, const char *what, const char *path, int err) {
    char text[sizeof(((struct berth_msg *)0)->text)];
    size_t n = 0, cap = sizeof text - 1;
    n = append(text, n, cap, what);
    if (path) { n = append(text, n, cap, " "); n = append(text, n, cap, path); }
    text[n] = 0;
    // After start, the connection from `start` (or the runtime's sync socket for
    // run/exec) hears about it; both close by themselves when execve succeeds.
    int fd = berth_report_fd >= 0 ? berth_report_fd : p->sync_fd;
    if (berth_send(fd, BERTH_MSG_ERROR, 0, err, text) < 0) {
        // Nobody is listening any more: stderr is all we have.
        char line[600];
        size_t m = append(line, 0, sizeof line - 40, "berth-runtime: ");
        m = append(line, m, sizeof line - 40, text);
        if (err >= 2000) { m = append(line, m, sizeof line - 1, ": killed by signal "); m = append_int(line, m, sizeof line - 1, err - 2000); }
        else if (err >= 1000) { m = append(line, m, sizeof line - 1, ": exit status "); m = append_int(line, m, sizeof line - 1, err - 1000); }
        else { m = append(line, m, sizeof line - 1, ": errno "); m = append_int(line, m, sizeof line - 1, err); }
        line[m++] = '\n';
        (void)!write(2, line, m);
    }
    _exit(1);
}

void berth_expect(const struct berth_plan *p, int type, void *payload, int cap, int *len) {
    struct berth_msg msg;
    int n = berth_recv(p->sync_fd, &msg, payload, cap);
    if (n < 0) berth_fail(p, "reading from the runtime", NULL, -n);
    if (msg.type != type) _exit(1);  // the parent gave up (EOF) or is confused: nothing to report to
    if (len) *len = n;
}

int64_t berth_fs_type(const char *path) {
    struct statfs st;
    if (statfs(path, &st) < 0) return -errno;
    return (int64_t)st.f_type;
}

int berth_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int berth_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int berth_o_path(void) { return O_PATH; }
