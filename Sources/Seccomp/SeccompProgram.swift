import CSeccomp

/// A compiled, ready-to-load classic BPF seccomp filter.
///
/// Built in the parent by ``SeccompCompiler``; the container's child only calls
/// `seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)` after setting no_new_privs
/// (or holding CAP_SYS_ADMIN).
public struct SeccompProgram: Sendable, Equatable {
    /// The `struct sock_filter` array in host byte order, 8 bytes per instruction.
    public var filter: [UInt8]
    /// `SECCOMP_FILTER_FLAG_*` bits (see ``SeccompFilterFlag``) to pass to seccomp(2).
    public var flags: UInt32

    /// Size of one `struct sock_filter`.
    public static let instructionSize = 8

    /// Creates a program from raw `sock_filter` bytes and seccomp(2) flags.
    public init(filter: [UInt8], flags: UInt32) {
        self.filter = filter
        self.flags = flags
    }

    /// Number of BPF instructions in ``filter``.
    public var instructionCount: Int { filter.count / Self.instructionSize }

    /// Calls `body` with a `struct sock_fprog` describing the filter, valid only during the call.
    ///
    /// The memory is a private copy aligned for `sock_filter`; a child forked or cloned
    /// inside `body` sees it at the same address, so the pointer can be handed to C.
    public func withSockFprog<R>(_ body: (UnsafePointer<sock_fprog>) throws -> R) rethrows -> R {
        let count = instructionCount
        let instructions = UnsafeMutablePointer<sock_filter>.allocate(capacity: max(count, 1))
        defer { instructions.deallocate() }
        filter.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress {
                UnsafeMutableRawPointer(instructions).copyMemory(
                    from: base, byteCount: count * Self.instructionSize)
            }
        }
        var program = sock_fprog(len: UInt16(truncatingIfNeeded: count), filter: instructions)
        return try withUnsafePointer(to: &program) { try body($0) }
    }
}
