import Foundation
import Glibc
import Testing

@testable import Build
@testable import DockerfileCore

/// A temporary directory tree for one test, removed at the end.
final class TempTree {
    let path: String

    init() {
        var template = Array("/tmp/berth-build-unit-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String, _ text: String = "x", mode: mode_t = 0o644) {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
        chmod(full, mode)
    }

    func directory(_ name: String) {
        try? FileManager.default.createDirectory(atPath: path + "/" + name, withIntermediateDirectories: true)
    }

    func link(_ name: String, to target: String) { symlink(target, path + "/" + name) }
}

@Suite struct ScopedPathTests {
    @Test func symlinksResolveInsideTheRoot() throws {
        let tree = TempTree()
        tree.directory("real/dir")
        tree.link("abs", to: "/real")
        tree.link("rel", to: "real/dir")
        #expect(try ScopedPath.resolve("abs/dir", in: tree.path, followFinal: true, refuseEscape: false) == ["real", "dir"])
        #expect(try ScopedPath.resolve("/rel/../x", in: tree.path, followFinal: true, refuseEscape: false) == ["real", "x"])
        #expect(try ScopedPath.resolve("../../real", in: tree.path, followFinal: true, refuseEscape: false) == ["real"],
                "an image root clamps .. at the top")
        #expect(try ScopedPath.resolve("rel", in: tree.path, followFinal: false, refuseEscape: true) == ["rel"])
    }

    @Test func contextPolicyRefusesEscapes() {
        let tree = TempTree()
        tree.link("out", to: "/etc/passwd")
        tree.link("up", to: "../../../../etc")
        tree.link("loop", to: "loop")
        #expect(throws: ScopedPath.Failure.escapes("out")) { try ScopedPath.resolve("out", in: tree.path, followFinal: true, refuseEscape: true) }
        #expect(throws: ScopedPath.Failure.escapes("up/passwd")) {
            try ScopedPath.resolve("up/passwd", in: tree.path, followFinal: true, refuseEscape: true)
        }
        #expect(throws: ScopedPath.Failure.escapes("../x")) { try ScopedPath.resolve("../x", in: tree.path, followFinal: true, refuseEscape: true) }
        #expect(throws: ScopedPath.Failure.tooManyLinks("loop")) {
            try ScopedPath.resolve("loop", in: tree.path, followFinal: true, refuseEscape: true)
        }
    }
}

@Suite struct CopySelectionTests {
    let context = TempTree()
    let image = TempTree()

    init() {
        context.file("a.txt"); context.file("b.txt"); context.file("c.conf")
        context.file("dir/one"); context.file("dir/sub/two")
        image.directory("existing")
    }

    func destinations(_ sources: [String], _ destination: String) throws -> [String] {
        try CopySelection(sourceRoot: context.path, refuseEscape: true)
            .entries(sources: sources, destination: destination, view: image.path, extractArchives: false)
            .map { "/" + $0.destination.joined(separator: "/") }
    }

    @Test func fileDestinations() throws {
        #expect(try destinations(["a.txt"], "/x") == ["/x"], "a file copied to a path that is not a directory")
        #expect(try destinations(["a.txt"], "/x/") == ["/x/a.txt"])
        #expect(try destinations(["a.txt"], "/existing") == ["/existing/a.txt"], "an existing directory of the image")
    }

    @Test func directoryContentsAreCopied() throws {
        #expect(try destinations(["dir"], "/app") == ["/app", "/app/one", "/app/sub", "/app/sub/two"])
    }

    @Test func wildcardsAndSeveralSources() throws {
        #expect(try destinations(["*.txt"], "/t/") == ["/t/a.txt", "/t/b.txt"])
        #expect(try destinations(["?.conf", "a.txt"], "/t/") == ["/t/c.conf", "/t/a.txt"])
        #expect(throws: CopyError.destinationNotDirectory("/t")) { try destinations(["*.txt"], "/t") }
        #expect(throws: CopyError.notFound("*.nothing")) { try destinations(["*.nothing"], "/t/") }
        #expect(throws: CopyError.notFound("missing")) { try destinations(["missing"], "/t/") }
    }

    @Test func excludedSourcesAreLeftOut() throws {
        let selection = CopySelection(sourceRoot: context.path, refuseEscape: true) { $0.hasSuffix("two") || $0 == "b.txt" }
        let entries = try selection.entries(sources: ["dir", "*.txt"], destination: "/d/", view: image.path, extractArchives: false)
        #expect(entries.map { $0.destination.joined(separator: "/") } == ["d", "d/one", "d/sub", "d/a.txt"])
    }

    @Test func digestFollowsContentAndModeNotMtime() throws {
        let selection = CopySelection(sourceRoot: context.path, refuseEscape: true)
        let first = try selection.digest(sources: ["dir", "a.txt"], withOwners: false)
        var times = [timespec(tv_sec: 1000, tv_nsec: 0), timespec(tv_sec: 1000, tv_nsec: 0)]
        utimensat(AT_FDCWD, context.path + "/a.txt", &times, 0)
        #expect(try selection.digest(sources: ["dir", "a.txt"], withOwners: false) == first, "mtime is not in the digest")
        chmod(context.path + "/a.txt", 0o600)
        let moded = try selection.digest(sources: ["dir", "a.txt"], withOwners: false)
        #expect(moded != first, "mode is")
        context.file("dir/sub/two", "changed")
        #expect(try selection.digest(sources: ["dir", "a.txt"], withOwners: false) != moded, "content is")
    }

    @Test func archivesAreRecognisedByTheirBytes() throws {
        let tree = TempTree()
        tree.file("plain.tar.gz", "not really gzip")
        FileManager.default.createFile(atPath: tree.path + "/x.gz", contents: Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]))
        #expect(!CopySelection.isArchive(tree.path + "/plain.tar.gz"))
        #expect(CopySelection.isArchive(tree.path + "/x.gz"))
    }
}

@Suite struct ChownResolverTests {
    let image = TempTree()

    init() {
        image.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n")
        image.file("etc/group", "root:x:0:\napp:x:1000:\nstaff:x:50:\n")
    }

    @Test func numbersNamesAndDefaults() throws {
        let ownership = { (chown: String?, chmod: String?) throws(CopyError) -> CopyOwnership in
            try ChownResolver.ownership(chown: chown, chmod: chmod, view: image.path, defaultOwner: (0, 0))
        }
        #expect(try ownership("55", nil) == CopyOwnership(uid: 55, gid: 55, mode: nil), "docker: --chown=55 is 55:55")
        #expect(try ownership("app", nil) == CopyOwnership(uid: 1000, gid: 1000, mode: nil))
        #expect(try ownership("app:staff", "640") == CopyOwnership(uid: 1000, gid: 50, mode: 0o640))
        #expect(try ownership(nil, nil) == CopyOwnership(uid: 0, gid: 0, mode: nil))
        #expect(throws: CopyError.unknownOwner("can't find uid for user nobody: no such user: nobody")) { try ownership("nobody", nil) }
        #expect(throws: CopyError.badMode("u+x")) { try ownership(nil, "u+x") }
    }
}

@Suite struct CacheKeyTests {
    @Test func keyDependsOnParentAndParts() {
        let key = BuildExecutor.cacheKey(parent: "sha256:aa", parts: ["RUN x"])
        #expect(key.count == 64)
        #expect(key == BuildExecutor.cacheKey(parent: "sha256:aa", parts: ["RUN x"]))
        #expect(key != BuildExecutor.cacheKey(parent: "sha256:ab", parts: ["RUN x"]))
        #expect(key != BuildExecutor.cacheKey(parent: "sha256:aa", parts: ["RUN y"]))
        #expect(BuildExecutor.cacheKey(parent: "p", parts: ["a", "b"]) != BuildExecutor.cacheKey(parent: "p", parts: ["ab"]))
    }

    @Test func timestampsUseTheEpochWhenGiven() {
        #expect(BuildExecutor.timestamp(1_700_000_000) == "2023-11-14T22:13:20Z")
        #expect(BuildExecutor.timestamp(nil).hasSuffix("Z"))
    }

    @Test func stepsAreNumberedAcrossStages() {
        var counter = StepCounter(total: 3)
        #expect(counter.next("FROM a") == "Step 1/3 : FROM a\n")
        #expect(counter.next("RUN b") == "Step 2/3 : RUN b\n")
    }
}

@Suite struct CopyParentsTests {
    @Test func parentsKeepTheSourcePath() throws {
        let context = TempTree()
        let image = TempTree()
        context.file("a/b/c.txt"); context.file("a/d/e.txt")
        let selection = CopySelection(sourceRoot: context.path, refuseEscape: true)
        let files = try selection.entries(sources: ["a/b/c.txt", "a/d"], destination: "/dst/", view: image.path,
                                          extractArchives: false, parents: true)
        #expect(files.map { $0.destination.joined(separator: "/") } == ["dst/a/b/c.txt", "dst/a/d", "dst/a/d/e.txt"])
    }
}
