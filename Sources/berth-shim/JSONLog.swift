import Glibc

/// Docker's json-file log: one object per line,
/// `{"log":"text\n","stream":"stdout","time":"2026-11-25T21:54:33.123456789Z"}`,
/// split at newlines (a partial line waits for its newline, for 16 KiB, or for the end),
/// rotated by size: PATH → PATH.1 → … → PATH.(maxFiles-1).
final class JSONLog {
    /// The longest `log` value; a longer line is written in pieces of this size.
    static let maxLine = 16 * 1024

    private let path: String
    private let maxSize: Int64
    private let maxFiles: Int
    private var fd: Int32
    private var size: Int64
    /// The unfinished line of stdout (0) and stderr (1).
    private var partial: [[UInt8]] = [[], []]
    /// The JSON line being built (reused).
    private var line: [UInt8] = []
    /// The first write error, kept so it is not repeated for every line.
    private(set) var failure: SystemError?
    /// The file did not exist before: a shim that fails to start removes it.
    private let created: Bool

    init(path: String, maxSize: Int64, maxFiles: Int) throws(SystemError) {
        self.path = path
        self.maxSize = maxSize
        self.maxFiles = max(1, maxFiles)
        created = access(path, F_OK) != 0
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        if fd < 0 { throw SystemError("open", path) }
        var st = stat()
        size = fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
        line.reserveCapacity(256)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Removes the file if this log created it and wrote nothing (the container never was).
    func removeIfUnused() {
        if created && size == 0 { unlink(path) }
    }

    /// Logs output of `stream` (Frame.stdout or Frame.stderr).
    func write(stream: UInt8, _ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let s = stream == Frame.stderr ? 1 : 0
        var start = 0
        while start < bytes.count {
            if let nl = memchr(base + start, 0x0A, bytes.count - start) {
                let end = UnsafeRawPointer(nl) - base + 1
                consume(s, UnsafeRawBufferPointer(rebasing: bytes[start..<end]), endsLine: true)
                start = end
            } else {
                consume(s, UnsafeRawBufferPointer(rebasing: bytes[start...]), endsLine: false)
                start = bytes.count
            }
        }
    }

    /// Writes the unfinished lines (without a newline): the streams have ended.
    func finish() {
        for s in 0..<2 where !partial[s].isEmpty {
            partial[s].withUnsafeBytes { emit(s, $0) }
            partial[s] = []
        }
    }

    private func consume(_ s: Int, _ segment: UnsafeRawBufferPointer, endsLine: Bool) {
        if partial[s].isEmpty && endsLine && segment.count <= Self.maxLine {
            emit(s, segment)
            return
        }
        partial[s].append(contentsOf: segment)
        while partial[s].count >= Self.maxLine {
            let cut = Self.boundary(partial[s], Self.maxLine)
            partial[s].withUnsafeBytes { emit(s, UnsafeRawBufferPointer(rebasing: $0[0..<cut])) }
            partial[s].removeFirst(cut)
        }
        if endsLine && !partial[s].isEmpty {
            partial[s].withUnsafeBytes { emit(s, $0) }
            partial[s].removeAll(keepingCapacity: true)
        }
    }

    /// `limit`, moved back to the start of a UTF-8 sequence it would cut (at most 3 bytes).
    static func boundary(_ bytes: [UInt8], _ limit: Int) -> Int {
        guard limit < bytes.count else { return limit }
        var cut = limit
        while cut > limit - 3 && cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return bytes[cut] & 0xC0 == 0x80 || cut == 0 ? limit : cut
    }

    private func emit(_ s: Int, _ text: UnsafeRawBufferPointer) {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: #"{"log":""#.utf8)
        JSONText.appendEscaped(text, to: &line)
        line.append(contentsOf: (s == 0 ? #"","stream":"stdout","time":""# : #"","stream":"stderr","time":""#).utf8)
        JSONText.appendTimestamp(Sys.realtimeNanos(), to: &line)
        line.append(contentsOf: "\"}\n".utf8)
        if maxSize > 0 && size > 0 && size + Int64(line.count) > maxSize { rotate() }
        guard fd >= 0 else { return }
        if Sys.writeAll(fd, line) {
            size += Int64(line.count)
        } else if failure == nil {
            failure = SystemError("write", path)
        }
    }

    private func rotate() {
        if maxFiles <= 1 {
            if ftruncate(fd, 0) != 0, failure == nil { failure = SystemError("ftruncate", path) }
            size = 0
            return
        }
        var k = maxFiles - 1
        while k >= 2 {
            rename("\(path).\(k - 1)", "\(path).\(k)")
            k -= 1
        }
        if rename(path, path + ".1") != 0, failure == nil { failure = SystemError("rename", path) }
        close(fd)
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC | O_CLOEXEC, 0o640)
        if fd < 0, failure == nil { failure = SystemError("open", path) }
        size = 0
    }
}

/// JSON string contents and RFC 3339 timestamps, by hand (no Foundation).
enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` escaped for a JSON string: quotes, backslashes, control characters;
    /// valid UTF-8 passes through, each invalid byte becomes \ufffd.
    static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            case 0x20..<0x80:
                out.append(b)
            default:
                let length = sequenceLength(bytes, i)
                if length == 0 {
                    out.append(contentsOf: #"\ufffd"#.utf8)
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + length)]))
                i += length
                continue
            }
            i += 1
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i` (a byte ≥ 0x80), or 0.
    static func sequenceLength(_ bytes: UnsafeRawBufferPointer, _ i: Int) -> Int {
        let b = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        let second = bytes[i + 1]
        guard second >= low && second <= high else { return 0 }
        for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return 0 }
        return length
    }

    /// Appends `nanos` since the epoch as "2026-11-25T21:54:33.123456789Z" (UTC, 9 digits).
    static func appendTimestamp(_ nanos: Int64, to out: inout [UInt8]) {
        var seconds = time_t(nanos / 1_000_000_000)
        let fraction = Int(nanos % 1_000_000_000)
        var tm = Glibc.tm()
        gmtime_r(&seconds, &tm)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(48 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(Int(tm.tm_year) + 1900, 4); out.append(UInt8(ascii: "-"))
        digits(Int(tm.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        digits(Int(tm.tm_mday), 2); out.append(UInt8(ascii: "T"))
        digits(Int(tm.tm_hour), 2); out.append(UInt8(ascii: ":"))
        digits(Int(tm.tm_min), 2); out.append(UInt8(ascii: ":"))
        digits(Int(tm.tm_sec), 2); out.append(UInt8(ascii: "."))
        digits(fraction, 9); out.append(UInt8(ascii: "Z"))
    }
}
