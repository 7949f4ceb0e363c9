import Foundation
import Glibc
import Testing

@testable import Build
@testable import DockerfileCore

@Suite struct ContextDigestsTests {
    private func key(_ path: String) -> ContextDigests.FileKey {
        var st = stat()
        lstat(path, &st)
        return ContextDigests.FileKey(st)
    }

    @Test func aKnownDigestReplacesReadingTheFile() throws {
        let tree = TempTree()
        tree.file("a.txt", "one")
        let fresh = try CopySelection(sourceRoot: tree.path, refuseEscape: true).digest(sources: ["a.txt"], withOwners: false)
        let known = try CopySelection(sourceRoot: tree.path, refuseEscape: true, knownDigests: ContextDigests([key(tree.path + "/a.txt"): CopyWriter.hash("one")]))
            .digest(sources: ["a.txt"], withOwners: false)
        // The known digest is what reading gives: the key is the same either way.
        #expect(known == fresh)
        // And it is used: a (deliberately wrong) known digest changes the key.
        let planted = try CopySelection(sourceRoot: tree.path, refuseEscape: true, knownDigests: ContextDigests([key(tree.path + "/a.txt"): "planted"]))
            .digest(sources: ["a.txt"], withOwners: false)
        #expect(planted != fresh)
    }

    @Test func aReplacedFileIsReadAgain() throws {
        let tree = TempTree()
        tree.file("a.txt", "one")
        let stale = ContextDigests([key(tree.path + "/a.txt"): "planted"])
        // Replaced by another file of the same size: another inode, so the known digest is not used.
        unlink(tree.path + "/a.txt")
        tree.file("b.tmp", "two")
        rename(tree.path + "/b.tmp", tree.path + "/a.txt")
        let fresh = try CopySelection(sourceRoot: tree.path, refuseEscape: true).digest(sources: ["a.txt"], withOwners: false)
        let withStale = try CopySelection(sourceRoot: tree.path, refuseEscape: true, knownDigests: stale).digest(sources: ["a.txt"], withOwners: false)
        #expect(withStale == fresh)
        // Rewritten in place with another mtime: not used either.
        let current = ContextDigests([key(tree.path + "/a.txt"): "planted"])
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, tree.path + "/a.txt", &times, 0)
        #expect(try CopySelection(sourceRoot: tree.path, refuseEscape: true, knownDigests: current).digest(sources: ["a.txt"], withOwners: false) == fresh)
    }
}
