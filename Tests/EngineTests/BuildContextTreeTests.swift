import DockerAPI
import Foundation
import Glibc
import Testing
@testable import Engine

/// The daemon's synced copy of a build context, driven as `POST /build/contexts/{key}/build`
/// drives it: a client directory listed the way the CLI lists it, the files the copy lacks sent.
@Suite struct BuildContextTreeTests {
    /// A client context and a daemon directory, both temporary.
    final class Fixture {
        let client: String
        let daemon: String
        var tree: BuildContextTree { BuildContextTree(directory: daemon + "/ctx") }

        init() {
            var a = Array("/tmp/berth-ctx-client-XXXXXX".utf8CString), b = Array("/tmp/berth-ctx-daemon-XXXXXX".utf8CString)
            client = String(cString: mkdtemp(&a)!)
            daemon = String(cString: mkdtemp(&b)!)
            mkdir(daemon + "/ctx", 0o700)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: client)
            try? FileManager.default.removeItem(atPath: daemon)
        }

        func write(_ name: String, _ text: String) {
            let path = client + "/" + name
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }

        /// The client's listing, parents first, names sorted.
        func listing(_ relative: String = "") -> [BuildContextEntry] {
            let directory = relative.isEmpty ? client : client + "/" + relative
            var entries: [BuildContextEntry] = []
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
                let rel = relative.isEmpty ? name : relative + "/" + name
                var st = stat()
                lstat(client + "/" + rel, &st)
                let kind: BuildContextEntry.Kind = switch st.st_mode & S_IFMT {
                case S_IFDIR: .dir
                case S_IFLNK: .symlink
                default: .file
                }
                let link = kind == .symlink ? try? FileManager.default.destinationOfSymbolicLink(atPath: client + "/" + rel) : nil
                entries.append(BuildContextEntry(
                    path: rel, type: kind, mode: UInt32(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid,
                    size: kind == .file ? Int64(st.st_size) : 0, mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                    ctime: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec), inode: UInt64(st.st_ino), link: link))
                if kind == .dir { entries += listing(rel) }
            }
            return entries
        }

        /// Asks what is needed, sends it (optionally fewer bytes), applies. Returns the paths sent.
        @discardableResult
        func sync(truncate: Bool = false) throws -> [String] {
            let entries = listing()
            let need = (tree.index() ?? BuildContextIndex(items: [])).needs(entries)
            var body = Array(try JSONEncoder().encode(BuildContextUpload(entries: entries, sent: need))) + [0x0a]
            for path in need { body += Array(FileManager.default.contents(atPath: client + "/" + path)!) }
            if truncate { body.removeLast() }
            _ = try tree.apply(BuildContextUpload(entries: entries, sent: need), reader: try skipHeader(body))
            return need
        }

        func skipHeader(_ body: [UInt8]) throws -> ContextUploadReader {
            let reader = try ContextUploadReader(.bytes(body))
            _ = try reader.headerLine(limit: 1 << 20)
            return reader
        }

        func synced(_ name: String) -> String? {
            FileManager.default.contents(atPath: tree.tree + "/" + name).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test func onlyNewAndChangedFilesAreSent() throws {
        let f = Fixture()
        f.write("a.txt", "one")
        f.write("dir/b.txt", "bee")
        #expect(try f.sync() == ["a.txt", "dir/b.txt"])
        #expect(try f.sync() == [], "nothing changed, nothing sent")
        // Same size, new content (and so a new mtime/ctime): sent, and the digest follows the content.
        let before = f.tree.index()!.items.first { $0.entry.path == "a.txt" }!.digest
        f.write("a.txt", "two")
        #expect(try f.sync() == ["a.txt"])
        #expect(f.synced("a.txt") == "two")
        #expect(f.tree.index()!.items.first { $0.entry.path == "a.txt" }!.digest != before)
        // Added and removed.
        f.write("dir/c.txt", "sea")
        try FileManager.default.removeItem(atPath: f.client + "/dir/b.txt")
        #expect(try f.sync() == ["dir/c.txt"])
        #expect(f.synced("dir/c.txt") == "sea" && f.synced("dir/b.txt") == nil)
        #expect(f.tree.index()!.items.map(\.entry.path) == ["a.txt", "dir", "dir/c.txt"])
    }

    @Test func symlinksAndTypeChangesAreFollowed() throws {
        let f = Fixture()
        f.write("target.txt", "t")
        symlink("target.txt", f.client + "/link")
        f.write("x", "file first")
        try f.sync()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: f.tree.tree + "/link") == "target.txt")
        // The link now points elsewhere; the file becomes a directory.
        unlink(f.client + "/link")
        symlink("../outside", f.client + "/link")
        unlink(f.client + "/x")
        f.write("x/inner.txt", "in")
        #expect(try f.sync() == ["x/inner.txt"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: f.tree.tree + "/link") == "../outside")
        #expect(f.synced("x/inner.txt") == "in")
    }

    @Test func aTruncatedUploadLeavesTheCopyAsItWas() throws {
        let f = Fixture()
        f.write("a.txt", "one")
        try f.sync()
        let index = f.tree.index()
        f.write("a.txt", "two!")
        f.write("new.txt", "new")
        #expect(throws: BuildContextError.self) { try f.sync(truncate: true) }
        #expect(f.tree.index() == index, "the index is the one before")
        #expect(f.synced("a.txt") == "one" && f.synced("new.txt") == nil)
        #expect(!FileManager.default.fileExists(atPath: f.daemon + "/ctx/staging"))
        #expect(try f.sync() == ["a.txt", "new.txt"], "what was not applied is asked for again")
        #expect(f.synced("a.txt") == "two!")
    }

    @Test func anUploadMissingAFileTheCopyLacksIsStale() throws {
        let f = Fixture()
        f.write("a.txt", "one")
        let entries = f.listing()
        let upload = BuildContextUpload(entries: entries, sent: [])
        let body = Array(try JSONEncoder().encode(upload)) + [0x0a]
        do {
            _ = try f.tree.apply(upload, reader: try f.skipHeader(body))
            Issue.record("an upload without the file the copy lacks was applied")
        } catch BuildContextError.stale(let missing) {
            #expect(missing == ["a.txt"])
        }
    }

    @Test func listingsThatCouldEscapeAreRefused() {
        let file = BuildContextEntry(path: "x", type: .file, mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0, ctime: 0, inode: 1)
        func with(_ path: String) -> BuildContextEntry { var e = file; e.path = path; return e }
        let link = BuildContextEntry(path: "l", type: .symlink, mode: 0o777, uid: 0, gid: 0, size: 0, mtime: 0, ctime: 0, inode: 2, link: "/etc")
        for bad in [[with("../x")], [with("/etc/passwd")], [with("a/./b")], [with("a/b")], [link, with("l/passwd")], [file, file]] {
            #expect(throws: BuildContextError.self) { try BuildContextTree.validate(bad) }
        }
    }

    @Test func aSnapshotKeepsItsContentWhenTheCopyChanges() throws {
        let f = Fixture()
        f.write("a.txt", "one")
        try f.sync()
        let view = f.daemon + "/view"
        mkdir(view, 0o755)
        let index = f.tree.index()!
        try f.tree.snapshot(index, into: view)
        #expect(index.digests.digests.count == 1)
        f.write("a.txt", "two")
        try f.sync()
        #expect(String(decoding: FileManager.default.contents(atPath: view + "/a.txt")!, as: UTF8.self) == "one")
        #expect(f.synced("a.txt") == "two")
    }
}
