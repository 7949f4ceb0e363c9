import FoundationEssentials
import Glibc
import OCI

/// Compiled filters kept on disk by the exact `linux.seccomp` they came from: libseccomp needs
/// ~15 ms for docker's default profile, and an engine starts many containers with the same one.
/// A file holds the canonical JSON of its section and the program; a lookup compares the whole
/// JSON (the file name is only a hash), so a collision can never load the wrong filter.
public struct SeccompCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The program for `config`: from the cache, or compiled and stored.
    public func program(for config: LinuxSeccomp) throws -> SeccompProgram {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let key = [UInt8]((try? encoder.encode(config)) ?? Data())
        guard !key.isEmpty else { return try SeccompCompiler.compile(config) }
        let path = directory + "/" + Self.fnv1a(key)
        if let cached = Self.read(path, key: key) { return cached }
        let program = try SeccompCompiler.compile(config)
        Self.write(path, key: key, program: program)
        return program
    }

    static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Layout: u32 key length, key, u32 flags, filter bytes (host byte order).
    static func read(_ path: String, key: [UInt8]) -> SeccompProgram? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 8, st.st_size < 16 << 20 else { return nil }
        var data = [UInt8](repeating: 0, count: Int(st.st_size))
        guard Glibc.read(fd, &data, data.count) == data.count else { return nil }
        func u32(_ at: Int) -> UInt32 { data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) } }
        let keyLength = Int(u32(0))
        guard 8 + keyLength <= data.count, data[4..<(4 + keyLength)].elementsEqual(key) else { return nil }
        let flags = u32(4 + keyLength)
        let filter = Array(data[(8 + keyLength)...])
        guard filter.count % SeccompProgram.instructionSize == 0, !filter.isEmpty else { return nil }
        return SeccompProgram(filter: filter, flags: flags)
    }

    static func write(_ path: String, key: [UInt8], program: SeccompProgram) {
        mkdir(directory(of: path), 0o700)
        var data: [UInt8] = []
        withUnsafeBytes(of: UInt32(key.count)) { data += $0 }
        data += key
        withUnsafeBytes(of: program.flags) { data += $0 }
        data += program.filter
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let written = Glibc.write(fd, data, data.count)
        close(fd)
        if written == data.count { rename(temporary, path) } else { unlink(temporary) }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
