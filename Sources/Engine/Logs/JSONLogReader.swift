import Foundation
import Glibc

/// One line of a container's log.
public struct LogEntry: Sendable {
    /// 1 stdout, 2 stderr.
    public var stream: UInt8
    public var text: [UInt8]
    public var time: Timestamp
}

/// What `docker logs` asked for.
public struct LogQuery: Sendable {
    public var stdout = true
    public var stderr = true
    public var since: Timestamp?
    public var until: Timestamp?
    /// Only the last N lines (nil: all).
    public var tail: Int?
    public var follow = false
    public init() {}
}

/// Reads docker's json-file logs written by the shim: `path.N … path.1, path` oldest first.
struct JSONLogReader {
    let path: String

    private struct Line: Decodable { var log: String; var stream: String; var time: String }

    /// Every file of the log, oldest first.
    func files() -> [String] {
        var rotated: [String] = []
        var n = 1
        while FileManager.default.fileExists(atPath: "\(path).\(n)") { rotated.append("\(path).\(n)"); n += 1 }
        return rotated.reversed() + [path]
    }

    /// Decodes complete lines of `bytes`; returns the entries and how many bytes were consumed.
    static func decode(_ bytes: ArraySlice<UInt8>) -> ([LogEntry], Int) {
        var entries: [LogEntry] = []
        var consumed = 0
        let decoder = JSONDecoder()
        var lineStart = bytes.startIndex
        for i in bytes.indices where bytes[i] == 0x0a {
            let line = bytes[lineStart..<i]
            lineStart = i + 1
            consumed = lineStart - bytes.startIndex
            guard !line.isEmpty, let decoded = try? decoder.decode(Line.self, from: Data(line)) else { continue }
            entries.append(LogEntry(stream: decoded.stream == "stderr" ? 2 : 1, text: Array(decoded.log.utf8),
                                    time: Timestamp.parse(decoded.time) ?? .zero))
        }
        return (entries, consumed)
    }

    /// All entries now in the files that match `query` (tail applied), plus the current file held
    /// open (or -1) and how many of its bytes they came from: following continues on that very
    /// file, so a line written meanwhile is not lost, and a file removed with its container
    /// (`docker run --rm` clients read the log after the removal) can still be read to its end.
    func read(_ query: LogQuery) -> (entries: [LogEntry], fd: Int32, consumed: Int64) {
        var entries: [LogEntry] = []
        for file in files().dropLast() {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            entries += Self.decode([UInt8](data)[...]).0.filter { Self.matches($0, query) }
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        let current = fd >= 0 ? Self.readFrom(fd, 0) : []
        let (latest, consumed) = Self.decode(current[...])
        entries += latest.filter { Self.matches($0, query) }
        if let tail = query.tail, tail >= 0, entries.count > tail { entries.removeFirst(entries.count - tail) }
        return (entries, fd, Int64(consumed))
    }

    static func matches(_ entry: LogEntry, _ query: LogQuery) -> Bool {
        if entry.stream == 1 && !query.stdout { return false }
        if entry.stream == 2 && !query.stderr { return false }
        if let since = query.since, entry.time < since { return false }
        if let until = query.until, entry.time > until { return false }
        return true
    }

    /// The inode of the file now at the path, if any.
    func currentInode() -> UInt64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return UInt64(st.st_ino)
    }

    static func inode(of fd: Int32) -> UInt64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    /// Bytes of `fd` from `offset` to its end.
    static func readFrom(_ fd: Int32, _ offset: Int64) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var position = offset
        while true {
            let n = pread(fd, &buffer, buffer.count, off_t(position))
            if n <= 0 { break }
            result += buffer[0..<n]
            position += Int64(n)
        }
        return result
    }
}

extension Engine {
    /// `docker logs`: the stored lines, then (with `follow`) new ones until the container stops
    /// or `emit` throws because the client left. Returns whether the container uses a TTY.
    public func containerLogInfo(_ reference: String) throws(EngineError) -> (id: String, tty: Bool, path: String) {
        let record = try lookup(reference)
        if let type = record.hostConfig.logConfig?.type, !type.isEmpty, type != "json-file", type != "local" {
            throw EngineError(.invalidParameter, "configured logging driver does not support reading")
        }
        return (record.id, record.config.tty == true, configuration.logPath(record.id))
    }

    func isRunning(_ id: String) -> Bool { containers[id]?.isRunning ?? false }

    nonisolated public func streamLogs(id: String, path: String, query: LogQuery, emit: @Sendable (LogEntry) async throws -> Void) async throws {
        let reader = JSONLogReader(path: path)
        let history = reader.read(query)
        var fd = history.fd
        defer { if fd >= 0 { close(fd) } }
        for entry in history.entries { try await emit(entry) }
        guard query.follow else { return }
        var offset = history.consumed
        var pending: [UInt8] = []
        /// Reads what was added to the held file and emits its complete lines.
        func drain() async throws -> Bool {
            guard fd >= 0 else { return true }
            let bytes = JSONLogReader.readFrom(fd, offset)
            offset += Int64(bytes.count)
            pending += bytes
            let (entries, consumed) = JSONLogReader.decode(pending[...])
            pending.removeFirst(consumed)
            for entry in entries where JSONLogReader.matches(entry, query) {
                if let until = query.until, entry.time > until { return false }
                try await emit(entry)
            }
            return true
        }
        while true {
            let running = await isRunning(id)
            if fd < 0 {
                fd = open(path, O_RDONLY | O_CLOEXEC)
                offset = 0
            }
            guard try await drain() else { return }
            // Rotated: the held file is read to its end; continue with the new one.
            if fd >= 0, let now = reader.currentInode(), now != JSONLogReader.inode(of: fd) {
                close(fd)
                fd = open(path, O_RDONLY | O_CLOEXEC)
                offset = 0
                pending = []
                guard try await drain() else { return }
            }
            if !running {
                _ = try await drain()
                return
            }
            if let until = query.until, Timestamp.now() > until { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }
}
