#ifndef BERTH_CSECCOMP_SHIM_H
#define BERTH_CSECCOMP_SHIM_H
#include <seccomp.h>
#include <linux/filter.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* SCMP_ACT_ERRNO(x) is a function-like macro Swift cannot call. */
static inline uint32_t berth_scmp_act_errno(uint16_t errno_value) {
    return SCMP_ACT_ERRNO(errno_value);
}

/* SCMP_ACT_TRACE(x) is a function-like macro Swift cannot call. */
static inline uint32_t berth_scmp_act_trace(uint16_t message) {
    return SCMP_ACT_TRACE(message);
}

/* memfd_create(2) without depending on _GNU_SOURCE in the Swift Glibc module.
   Returns a close-on-exec fd, or -1 with errno set. */
static inline int berth_seccomp_memfd(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1U /* MFD_CLOEXEC */);
}

#endif
