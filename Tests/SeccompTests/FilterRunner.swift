import Foundation
import Seccomp

/// Runs Python snippets in a child process that first installs a compiled filter,
/// so the test process itself never carries a seccomp filter.
enum FilterRunner {
    /// The interpreter, when the host has one.
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Sets no_new_privs, loads the filter with seccomp(2) and defines `call(nr, *args)`,
    /// which returns 0 on success and the errno otherwise.
    static let prelude = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        class Fprog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
        data = open(sys.argv[1], "rb").read()
        buf = ctypes.create_string_buffer(data, len(data))
        prog = Fprog(len(data) // 8, ctypes.addressof(buf))
        if libc.prctl(38, 1, 0, 0, 0) != 0:
            print("prctl", ctypes.get_errno()); sys.exit(2)
        if libc.syscall(ctypes.c_long(317), ctypes.c_long(1), ctypes.c_ulong(int(sys.argv[2])), ctypes.byref(prog)) != 0:
            print("seccomp", ctypes.get_errno()); sys.exit(3)
        def call(nr, *args):
            ctypes.set_errno(0)
            conv = [a if isinstance(a, bytes) else ctypes.c_ulong(a) for a in args]
            return 0 if libc.syscall(ctypes.c_long(nr), *conv) != -1 else ctypes.get_errno()

        """

    /// What the child printed and how it ended.
    struct Outcome {
        var output: String
        var status: Int32
        var killedBySignal: Bool
    }

    /// Runs `body` (Python, after the prelude) under `program`.
    static func run(_ program: SeccompProgram, _ body: String) throws -> Outcome {
        guard let python else { throw CocoaError(.fileNoSuchFile) }
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("berth-seccomp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let filterFile = dir.appendingPathComponent("filter.bpf")
        try Data(program.filter).write(to: filterFile)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", prelude + body, filterFile.path, String(program.flags), dir.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            output: String(decoding: data, as: UTF8.self),
            status: process.terminationStatus,
            killedBySignal: process.terminationReason == .uncaughtSignal)
    }
}
