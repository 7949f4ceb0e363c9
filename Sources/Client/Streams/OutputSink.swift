#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes bytes to a descriptor completely (stdout, stderr or a file).
public struct FileDescriptorSink: Sendable {
    public let fd: Int32
    public init(fd: Int32) { self.fd = fd }

    public static let stdout = FileDescriptorSink(fd: 1)
    public static let stderr = FileDescriptorSink(fd: 2)

    /// Writes all of `bytes`, retrying on EINTR; EPIPE ends quietly (a closed pager).
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { exit(0) }
                    throw ClientError.system("write", errno: errno)
                }
                offset += n
            }
        }
    }

    /// Writes a string as UTF-8.
    public func write(_ text: String) throws { try write(Array(text.utf8)) }
}

/// Copies a container output stream to stdout/stderr: demultiplexed when the
/// container has no TTY, raw bytes when it has one.
public func copyOutput(from source: ByteSource, multiplexed: Bool,
                       stdout: FileDescriptorSink = .stdout, stderr: FileDescriptorSink = .stderr) throws {
    if multiplexed {
        let demux = MultiplexedReader(source)
        while let frame = try demux.next() {
            try (frame.stream == .stderr ? stderr : stdout).write(frame.payload)
        }
    } else {
        while let chunk = try source.read(max: 32 * 1024) { try stdout.write(chunk) }
    }
}
