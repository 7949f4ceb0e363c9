import EngineAPI
import Glibc

/// Gives memory back while the daemon is idle: after a quiet spell, free malloc's unused pages
/// and drop the pages of executable code mappings (r-xp: never written, so nothing is lost; the
/// next request faults back in the code it runs, from the page cache). Like the shim's own trim,
/// this keeps a long-running daemon's resident set to what it is using.
enum IdleTrim {
    @_silgen_name("malloc_trim") private static func mallocTrim(_ pad: Int) -> Int32

    /// Runs forever: every `interval` seconds, trims once if no request came for `quiet` seconds.
    static func run(interval: UInt64 = 5, quiet: UInt64 = 10) async {
        var trimmedSinceActivity = false
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: interval * 1_000_000_000)
            if Activity.idleNanoseconds > quiet * 1_000_000_000 {
                if !trimmedSinceActivity { trim(); trimmedSinceActivity = true }
            } else {
                trimmedSinceActivity = false
            }
        }
    }

    static func trim() {
        _ = mallocTrim(0)
        guard let maps = fopen("/proc/self/maps", "r") else { return }
        defer { fclose(maps) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), maps) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "r-xp", fields[5].hasPrefix("/") else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16) else { continue }
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED)
        }
    }
}
