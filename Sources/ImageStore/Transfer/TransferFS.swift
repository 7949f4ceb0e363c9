import Foundation
import Glibc
import OCI

/// Small file helpers of import and export: temp directories, reading, hashing and copying files.
enum TransferFS {
    /// A new private directory `<parent>/<prefix>-XXXXXX` (parent created if needed).
    static func makeTempDirectory(in parent: String, prefix: String) throws -> String {
        try StoreFS.makeDirectories(parent, mode: 0o700)
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw TransferError.system(operation: "mkdtemp", path: parent, errno: errno)
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The whole file at `path`, refusing files over `limit` bytes (documents, not layers).
    static func read(_ path: String, limit: Int64 = 64 << 20) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TransferError.system(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TransferError.system(operation: "fstat", path: path, errno: errno) }
        guard Int64(st.st_size) <= limit else {
            throw TransferError.invalidDocument(name: path, reason: "\(st.st_size) bytes is too large for a JSON document")
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while filled < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 && errno == EINTR { continue }
                guard n >= 0 else { throw TransferError.system(operation: "read", path: path, errno: errno) }
                if n == 0 { break }
                filled += n
            }
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Size in bytes of the regular file at `path`, nil when it is not one.
    static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// The compression the first bytes of the file at `path` show (gzip or zstd magic; else none).
    static func sniffCompression(_ path: String) -> LayerCompression {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .none }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = magic.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4) }
        if n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b { return .gzip }
        if n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        return .none
    }

    /// The diff ID (sha256 of the uncompressed tar) and uncompressed size of the layer at `path`,
    /// reading every entry so a corrupt tar or compressed stream is refused here.
    static func diffID(ofLayerAt path: String, name: String) throws -> (diffID: Digest, size: Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TransferError.system(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        do {
            let reader = try LayerTarReader(fd: fd, compression: nil)
            while try reader.next() != nil {}
            let result = try reader.finish()
            return (try Digest(parsing: result.diffID), result.size)
        } catch let error as LayerError {
            throw TransferError.invalidLayer(layer: name, reason: error.description)
        }
    }

    /// Stores the file at `path` in `content`, checking `expected` digest and size when given
    /// (a mismatch names the file as `name`). Returns the blob's digest and size.
    static func ingest(_ path: String, into content: ContentStore, expected: Digest?, expectedSize: Int64?, name: String) throws -> ContentInfo {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TransferError.system(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        do {
            return try content.ingest(expected: expected, expectedSize: expectedSize, fileDescriptor: fd)
        } catch ContentError.digestMismatch(let expected, let actual) {
            throw TransferError.digestMismatch(name: name, expected: expected, actual: actual)
        } catch ContentError.sizeMismatch(_, let expected, let actual) {
            throw TransferError.sizeMismatch(name: name, expected: expected, actual: actual)
        }
    }
}

extension TransferFS {
    /// Hashes the file at `path` and checks it against `expected` and `expectedSize`, storing nothing.
    static func ingestCheckOnly(_ path: String, expected: Digest, expectedSize: Int64?, name: String) throws -> ContentInfo {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TransferError.system(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var digester = Digester(algorithm: expected.algorithm)
        var size: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try StoreFS.read(fd, into: buffer, path: path)
            if n == 0 { break }
            digester.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            size += Int64(n)
        }
        if let expectedSize, size != expectedSize { throw TransferError.sizeMismatch(name: name, expected: expectedSize, actual: size) }
        let actual = digester.finalize()
        guard actual == expected else { throw TransferError.digestMismatch(name: name, expected: expected, actual: actual) }
        return ContentInfo(digest: actual, size: size, committedAt: Date())
    }
}
