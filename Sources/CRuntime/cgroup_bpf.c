// bpf(2) wrappers for cgroup v2 device programs; see include/cgroup_bpf.h.
#include "cgroup_bpf.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(sizeof(struct berth_bpf_insn) == sizeof(struct bpf_insn),
               "berth_bpf_insn must match struct bpf_insn");

static int berth_bpf(int cmd, union bpf_attr *attr) {
    long r = syscall(SYS_bpf, cmd, attr, sizeof(*attr));
    return r < 0 ? -errno : (int)r;
}

int berth_bpf_device_prog_load(const struct berth_bpf_insn *insns, uint32_t count,
                               const char *license, char *log, uint32_t log_size) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = count;
    attr.license = (uint64_t)(uintptr_t)license;
    int fd = berth_bpf(BPF_PROG_LOAD, &attr);
    if (fd >= 0 || log == NULL || log_size == 0) {
        return fd;
    }
    // Load again with the verifier log on, only to explain the failure.
    int first = fd;
    log[0] = '\0';
    attr.log_level = 1;
    attr.log_buf = (uint64_t)(uintptr_t)log;
    attr.log_size = log_size;
    fd = berth_bpf(BPF_PROG_LOAD, &attr);
    if (fd >= 0) {
        return fd;
    }
    return first;
}

int berth_bpf_device_prog_attach(int cgroup_fd, int prog_fd, uint32_t flags) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgroup_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = flags;
    return berth_bpf(BPF_PROG_ATTACH, &attr);
}

int berth_bpf_device_prog_query(int cgroup_fd, uint32_t *ids, uint32_t *count) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.query.target_fd = (uint32_t)cgroup_fd;
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
    attr.query.prog_cnt = *count;
    int r = berth_bpf(BPF_PROG_QUERY, &attr);
    *count = attr.query.prog_cnt;
    return r;
}

int berth_bpf_device_prog_detach(int cgroup_fd, uint32_t prog_id) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_id = prog_id;
    int prog_fd = berth_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
    if (prog_fd < 0) {
        return prog_fd;
    }
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgroup_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    int r = berth_bpf(BPF_PROG_DETACH, &attr);
    close(prog_fd);
    return r;
}
