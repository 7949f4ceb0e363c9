import CSeccomp
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Owns a libseccomp `scmp_filter_ctx`; released when the last reference goes, on every path.
final class FilterContext {
    private let context: scmp_filter_ctx

    /// seccomp_init(`defaultAction`).
    init(defaultAction: UInt32) throws {
        guard let context = seccomp_init(defaultAction) else {
            throw SeccompError(path: "linux.seccomp.defaultAction", reason: "libseccomp rejected the default action")
        }
        self.context = context
    }

    deinit { seccomp_release(context) }

    /// seccomp_attr_set; returns the negative errno libseccomp reported, or 0.
    func set(_ attribute: scmp_filter_attr, _ value: UInt32) -> Int32 {
        seccomp_attr_set(context, attribute, value)
    }

    /// seccomp_arch_add; an architecture already present (the native one) is not an error.
    func addArchitecture(_ token: UInt32) -> Int32 {
        let rc = seccomp_arch_add(context, token)
        return rc == -EEXIST ? 0 : rc
    }

    /// seccomp_rule_add_array: `action` for `syscall` when all `conditions` hold.
    func addRule(action: UInt32, syscall: Int32, conditions: [scmp_arg_cmp]) -> Int32 {
        conditions.withUnsafeBufferPointer {
            seccomp_rule_add_array(context, action, syscall, UInt32($0.count), $0.baseAddress)
        }
    }

    /// The filter as `sock_filter` bytes: seccomp_export_bpf into a memfd, read back.
    func exportBPF() throws -> [UInt8] {
        let fd = berth_seccomp_memfd("berth-seccomp")
        guard fd >= 0 else {
            throw SeccompError(path: "linux.seccomp", reason: "memfd_create: \(errorText(errno))")
        }
        defer { close(fd) }
        let rc = seccomp_export_bpf(context, fd)
        guard rc == 0 else {
            throw SeccompError(path: "linux.seccomp", reason: "seccomp_export_bpf: \(errorText(-rc))")
        }
        let size = lseek(fd, 0, SEEK_END)
        guard size >= 0 else {
            throw SeccompError(path: "linux.seccomp", reason: "lseek on the exported filter: \(errorText(errno))")
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw SeccompError(path: "linux.seccomp", reason: "reading the exported filter: \(n == 0 ? "short read" : errorText(errno))")
            }
            done += n
        }
        return bytes
    }
}

/// strerror for an errno value.
func errorText(_ code: Int32) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
