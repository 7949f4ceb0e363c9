// Layers that try to write outside their root are refused, naming the entry,
// and leave neither a final directory nor a file outside.
import Foundation
import Glibc
import Testing
@testable import ImageStore

@Suite(.enabled(if: layerIsRoot, "needs root: the harmless entries around the evil one are owned by uid 0"))
struct LayerEscapeTests {
    /// Applies `members` with applyFresh; expects a refusal naming `entry`.
    private func expectRefused(_ members: [LayerTarMember], entry: String, parent: [String] = [],
                               tmp: LayerTempDir, outside: String) throws {
        let tar = tmp.path + "/evil.tar"
        try layerMakeTar(members, at: tar)
        let final = tmp.path + "/final"
        let error = #expect(throws: LayerError.self) {
            try LayerApplier().applyFresh(layerAt: tar, into: final, parent: parent)
        }
        #expect(error == .entryEscapesRoot(entry: entry))
        #expect(error?.description == "layer entry \"\(entry)\" escapes the root")
        #expect(layerStat(final) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).sorted() == ["secret"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasPrefix(".final") }
        #expect(leftovers.isEmpty)
    }

    private func setUp() throws -> (LayerTempDir, String) {
        let tmp = try LayerTempDir()
        let outside = try tmp.sub("outside", make: true)
        try "s".write(toFile: outside + "/secret", atomically: false, encoding: .utf8)
        return (tmp, outside)
    }

    @Test func dotDotNamesAreRefused() throws {
        let (tmp, outside) = try setUp()
        try expectRefused([.file("ok"), .file("../x")], entry: "../x", tmp: tmp, outside: outside)
        try expectRefused([.dir("a"), .file("a/../../x")], entry: "a/../../x", tmp: tmp, outside: outside)
        try expectRefused([.file("../outside/pwned")], entry: "../outside/pwned", tmp: tmp, outside: outside)
    }

    @Test func absoluteNamesAreRefused() throws {
        let (tmp, outside) = try setUp()
        try expectRefused([.file(outside + "/abs")], entry: outside + "/abs", tmp: tmp, outside: outside)
    }

    @Test func symlinkPlantedEarlierInTheLayerIsNotFollowedOut() throws {
        let (tmp, outside) = try setUp()
        try expectRefused([.symlink("link", to: outside), .file("link/pwned")], entry: "link/pwned", tmp: tmp, outside: outside)
        try expectRefused([.symlink("up", to: "../../.."), .file("up/pwned")], entry: "up/pwned", tmp: tmp, outside: outside)
        try expectRefused([.dir("d"), .symlink("d/up", to: "../../outside"), .file("d/up/pwned")],
                          entry: "d/up/pwned", tmp: tmp, outside: outside)
    }

    @Test func symlinkFromALowerLayerIsNotFollowedOut() throws {
        let (tmp, outside) = try setUp()
        let lowerTar = tmp.path + "/lower.tar"
        try layerMakeTar([.symlink("link", to: outside), .symlink("rel", to: "../../../outside")], at: lowerTar)
        let lower = tmp.path + "/lower"
        _ = try LayerApplier().applyFresh(layerAt: lowerTar, into: lower, parent: [])
        try expectRefused([.file("link/pwned")], entry: "link/pwned", parent: [lower], tmp: tmp, outside: outside)
        try expectRefused([.file("rel/pwned")], entry: "rel/pwned", parent: [lower], tmp: tmp, outside: outside)
        // Flattened onto a tree holding the lower contents: the same refusal.
        let copy = try tmp.sub("copy", make: true)
        try layerShell("ln -s '\(outside)' '\(copy)/link'")
        try layerMakeTar([.file("link/pwned")], at: tmp.path + "/l2.tar")
        #expect(throws: LayerError.entryEscapesRoot(entry: "link/pwned")) {
            try layerApplyFile(tmp.path + "/l2.tar", to: copy, mode: .flattened)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret"])
    }

    @Test func hardLinksThatEscapeAreRefused() throws {
        let (tmp, outside) = try setUp()
        try expectRefused([.hardlink("h", to: "../outside/secret")], entry: "h", tmp: tmp, outside: outside)
        try expectRefused([.symlink("link", to: outside), .hardlink("h", to: "link/secret")], entry: "h", tmp: tmp, outside: outside)
        try expectRefused([.hardlink("h", to: outside + "/secret")], entry: "h", tmp: tmp, outside: outside)
        #expect(layerStat(outside + "/secret")?.st_nlink == 1)
    }

    @Test func whiteoutsCannotClimbOut() throws {
        let (tmp, outside) = try setUp()
        try expectRefused([.file("../outside/.wh.secret")], entry: "../outside/.wh.secret", tmp: tmp, outside: outside)
        try expectRefused([.symlink("link", to: outside), .file("link/.wh.secret")], entry: "link/.wh.secret", tmp: tmp, outside: outside)
    }
}
