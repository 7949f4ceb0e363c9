import Foundation
import Glibc

/// What `ADD <url>…` downloaded, laid out as a source root: `<index>/<file name>` per URL.
struct RemoteSources {
    /// The directory holding the downloads (removed by the caller).
    let directory: String
    /// The sources, relative to `directory`.
    let sources: [String]
    /// The cache key's part for them: each URL with its digest, file name and mtime.
    let key: String
}

extension StageRun {
    /// True for the sources ADD downloads (`http://`, `https://`).
    static func isRemote(_ source: String) -> Bool {
        let lower = source.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// Downloads the `urls` among `copy`'s sources as docker's legacy builder does: the file named
    /// after the URL's path (or its Content-Disposition), mode 0600, mtime from Last-Modified (the
    /// epoch without one), never extracted; `--checksum` verified.
    func fetchRemote(_ copy: CopyStep, urls: [String]) async throws -> RemoteSources {
        let directory = FileManager.default.temporaryDirectory.path + "/berth-add-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            var sources: [String] = []
            var keys: [String] = []
            for (index, url) in urls.enumerated() {
                let slot = directory + "/\(index)"
                try FileManager.default.createDirectory(atPath: slot, withIntermediateDirectories: false)
                let partial = slot + "/.download"
                let download = try await worker.download(url, to: partial)
                if let checksum = copy.checksum { try RemoteFile.verify(checksum: checksum, digest: download.digest, url: url) }
                let found = RemoteFile.name(url: url, contentDisposition: download.contentDisposition)
                if found == nil && copy.destination.hasSuffix("/") {
                    throw BuildError("cannot determine filename from url: \(url)")
                }
                let name = found ?? "download"
                let path = slot + "/" + name
                guard rename(partial, path) == 0 else { throw BuildError("ADD \(url): cannot name the download \(name)") }
                chmod(path, 0o600)
                let mtime = timespec(tv_sec: Int(download.lastModified ?? 0), tv_nsec: 0)
                var times = [mtime, mtime]
                utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
                sources.append("\(index)/\(name)")
                keys.append([url, download.digest, name, String(download.lastModified ?? 0)].joined(separator: "\u{0}"))
            }
            return RemoteSources(directory: directory, sources: sources, key: keys.joined(separator: "\n"))
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }
}

/// The pure rules of `ADD <url>`.
public enum RemoteFile {
    /// The file name for a download: the last component of the URL's path unless the path ends in
    /// `/`, else the `filename` of a Content-Disposition header; nil when neither gives one.
    public static func name(url: String, contentDisposition: String?) -> String? {
        if let path = URLComponents(string: url)?.path, !path.isEmpty, !path.hasSuffix("/"),
           let base = path.split(separator: "/").last.map(String.init), base != ".", base != ".." {
            return base
        }
        guard let header = contentDisposition else { return nil }
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "filename" else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            guard !value.hasSuffix("/"), let base = value.split(separator: "/").last.map(String.init),
                  base != ".", base != ".." else { return nil }
            return base
        }
        return nil
    }

    /// Checks `--checksum` (`sha256:<64 hex>`) against the downloaded `digest`.
    public static func verify(checksum: String, digest: String, url: String) throws(BuildError) {
        let parts = checksum.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "sha256", parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else {
            throw BuildError("invalid --checksum \(checksum): expected sha256:<64 hex digits>")
        }
        let expected = "sha256:" + parts[1].lowercased()
        guard expected == digest else {
            throw BuildError("checksum mismatch for \(url): expected \(expected), downloaded content is \(digest)")
        }
    }
}
