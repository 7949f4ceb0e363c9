import Glibc

/// Files the engine writes afresh for every start or exec — a bundle's config.json, hostname
/// and resolv.conf, an exec's process.json. Written under a temporary name and renamed, so no
/// reader sees half a file, but never synced: a crash loses nothing the next start does not
/// write again, and Foundation's atomic write syncs each one (0.3–0.6 ms apiece on this disk,
/// four of them on every start's path).
enum ScratchFile {
    static func write(_ path: String, _ bytes: some Collection<UInt8>) throws(EngineError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("creating", temporary) }
        let array = Array(bytes)
        var written = 0
        while written < array.count {
            let n = array.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, array.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = failure("writing", temporary)
                close(fd); unlink(temporary)
                throw error
            }
            written += n
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = failure("renaming", temporary)
            unlink(temporary)
            throw error
        }
    }

    static func write(_ path: String, _ text: String) throws(EngineError) {
        try write(path, Array(text.utf8))
    }

    private static func failure(_ verb: String, _ path: String) -> EngineError {
        EngineError.system("\(verb) \(path): \(String(cString: strerror(errno)))")
    }
}
