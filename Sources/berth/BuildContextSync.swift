import Client
import Crypto
import DockerAPI
import Foundation
import Glibc

/// `berth build`'s incremental context transfer (docs/builder.md): the context is listed (the
/// same `.dockerignore` rules as the tar), berthd says which files its synced copy lacks, and only
/// those are sent before the build starts from the copy. Daemons without the endpoint (dockerd)
/// get the tar instead.
struct BuildContextSync {
    let source: BuildContextSource
    /// The listing, parents first.
    let entries: [BuildContextEntry]
    /// The Dockerfile's text when it lies outside the context.
    let externalDockerfile: String?
    /// How long the listing took (ns).
    var listing: UInt64 = 0

    /// Lists the context.
    static func make(_ source: BuildContextSource) throws -> BuildContextSync {
        let started = DispatchTime.now().uptimeNanoseconds
        var entries: [BuildContextEntry] = []
        for item in source.items() {
            let st = item.info
            let kind: BuildContextEntry.Kind
            var link: String?
            switch st.st_mode & S_IFMT {
            case S_IFREG: kind = .file
            case S_IFDIR: kind = .dir
            case S_IFIFO: kind = .fifo
            case S_IFLNK:
                kind = .symlink
                link = Self.readLink(item.path)
            default: continue  // sockets and devices are not sent
            }
            entries.append(BuildContextEntry(
                path: item.relative, type: kind, mode: UInt32(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid,
                size: kind == .file ? Int64(st.st_size) : 0,
                mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                ctime: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                inode: UInt64(st.st_ino), link: link))
        }
        var external: String?
        if !source.inside {
            guard let data = FileManager.default.contents(atPath: source.dockerfilePath) else {
                throw CLIExit(1, "unable to prepare context: cannot read \(source.dockerfilePath)")
            }
            external = String(decoding: data, as: UTF8.self)
        }
        return BuildContextSync(source: source, entries: entries, externalDockerfile: external,
                                listing: DispatchTime.now().uptimeNanoseconds - started)
    }

    /// The context's key on the daemon: stable for one directory of one host (buildkit's shared key).
    var key: String {
        var name = [UInt8](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let host = String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)
        let digest = SHA256.hash(data: Array("berth-context-v1\u{0}\(host)\u{0}\(source.root)".utf8))
        // Not String(format:): its first use costs milliseconds of Foundation set-up in a short-lived CLI.
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xf)]] }, as: UTF8.self)
    }

    /// Starts the build from the daemon's synced copy; nil when the daemon has no such endpoint.
    /// The listing goes first with no files (an unchanged context needs nothing more); a daemon
    /// whose copy lacks files answers 409 with their paths, and they are sent with the listing again.
    func start(_ client: BerthClient, query: [(String, String?)], registryConfig: String?) throws -> HTTPResponse? {
        signal(SIGPIPE, SIG_IGN)
        var clock = CLIClock()
        let key = self.key
        let byPath = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var sent: [String] = []
        for attempt in 1...4 {
            let files = try sent.map { path in
                guard let entry = byPath[path] else { throw CLIExit(1, "the daemon asked for \(path), which the context does not list") }
                return HTTPRequest.FilePart(path: source.root + "/" + path, size: entry.size, mtime: entry.mtime)
            }
            let upload = BuildContextUpload(entries: entries, sent: sent, dockerfile: externalDockerfile)
            let answer: BerthClient.ContextBuildAnswer
            do { answer = try client.build(contextKey: key, upload: upload, files: files, query: query, registryConfig: registryConfig) } catch let error as ClientError {
                if error.isNotFound { return nil }
                throw error
            }
            clock.mark("upload \(attempt)")
            switch answer {
            case .started(let response):
                if getenv("BERTH_DEBUG") != nil {
                    err("build context \(key.prefix(12)): \(entries.count) entries, \(files.count) files sent (\(files.reduce(0) { $0 + $1.size }) bytes); list \(listing / 1_000_000).\(listing / 100_000 % 10) ms, \(clock.report)")
                }
                return response
            case .needs(let paths):
                sent = paths  // another build may change the copy in between: then it asks again
            }
        }
        throw CLIExit(1, "the daemon's copy of the build context kept changing (another build of this directory?): try again")
    }

    private static func readLink(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return "" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Milliseconds between the marks of a command (`-D`/`BERTH_DEBUG` prints them).
struct CLIClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var marks: [(String, UInt64)] = []

    mutating func mark(_ step: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        marks.append((step, now - last))
        last = now
    }

    var report: String {
        marks.map { "\($0.0) \($0.1 / 1_000_000).\($0.1 / 100_000 % 10) ms" }.joined(separator: ", ")
    }
}
