// bpf(2) for cgroup v2 device filters: load, attach, query and detach
// BPF_PROG_TYPE_CGROUP_DEVICE programs. Swift cannot call the variadic
// syscall(2), so these thin wrappers do it. Each returns >= 0 on success and
// -errno on failure; none allocates.
#ifndef BERTH_CGROUP_BPF_H
#define BERTH_CGROUP_BPF_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One eBPF instruction, laid out exactly as the kernel's `struct bpf_insn`
/// on little-endian hosts: `regs` is dst_reg in the low nibble, src_reg in the high one.
struct berth_bpf_insn {
    uint8_t code;
    uint8_t regs;
    int16_t off;
    int32_t imm;
};

/// Loads a BPF_PROG_TYPE_CGROUP_DEVICE program. Returns its fd (O_CLOEXEC) or -errno.
/// When `log` is non-NULL and loading fails, the verifier's log is written there.
int berth_bpf_device_prog_load(const struct berth_bpf_insn *insns, uint32_t count,
                               const char *license, char *log, uint32_t log_size);

/// Attaches `prog_fd` to the cgroup directory `cgroup_fd` as BPF_CGROUP_DEVICE
/// with `flags` (BPF_F_ALLOW_MULTI = 2). Returns 0 or -errno.
int berth_bpf_device_prog_attach(int cgroup_fd, int prog_fd, uint32_t flags);

/// Lists the ids of the device programs attached directly to `cgroup_fd`.
/// On input `*count` is the capacity of `ids`; on output the number attached.
/// Returns 0 or -errno (-ENOSPC when `ids` was too small; `*count` then says how many).
int berth_bpf_device_prog_query(int cgroup_fd, uint32_t *ids, uint32_t *count);

/// Detaches the device program with id `prog_id` from `cgroup_fd`. Returns 0 or -errno.
int berth_bpf_device_prog_detach(int cgroup_fd, uint32_t prog_id);

#ifdef __cplusplus
}
#endif

#endif
