import Testing
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
@testable import Engine

@Suite struct SpecUserResolverTests {
    let passwd = """
        root:x:0:0:root:/root:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        app:x:1000:1000:App:/home/app:/bin/sh

        # a comment
        broken line
        """
    let group = """
        root:x:0:
        daemon:x:1:
        audio:x:29:app
        video:x:44:app,daemon
        app:x:1000:
        staff:x:50:
        """

    func resolve(_ user: String?, _ groupAdd: [String]? = nil) throws -> ResolvedUser {
        try UserResolver.resolve(user: user, groupAdd: groupAdd, passwd: passwd, group: group)
    }

    @Test func emptyIsRoot() throws {
        #expect(try resolve(nil) == ResolvedUser(uid: 0, gid: 0, additionalGids: [0], home: "/root"))
        #expect(try resolve("") == ResolvedUser(uid: 0, gid: 0, additionalGids: [0], home: "/root"))
    }

    @Test func nameGetsPasswdGidHomeAndMemberGroups() throws {
        #expect(try resolve("app") == ResolvedUser(uid: 1000, gid: 1000, additionalGids: [1000, 29, 44], home: "/home/app"))
    }

    @Test func numericUidFoundOrNot() throws {
        #expect(try resolve("1") == ResolvedUser(uid: 1, gid: 1, additionalGids: [1, 44], home: "/usr/sbin"))
        // Not in passwd: gid 0 and home "/", as runc's lookup does.
        #expect(try resolve("4242") == ResolvedUser(uid: 4242, gid: 0, additionalGids: [0], home: "/"))
    }

    @Test func explicitGroupByNameOrIdDropsMemberGroups() throws {
        #expect(try resolve("app:staff") == ResolvedUser(uid: 1000, gid: 50, additionalGids: [50], home: "/home/app"))
        #expect(try resolve("1000:44") == ResolvedUser(uid: 1000, gid: 44, additionalGids: [44], home: "/home/app"))
        #expect(try resolve("4242:video").gid == 44)
        #expect(try resolve("4242:5000").gid == 5000)
    }

    @Test func groupAddByNameOrId() throws {
        let user = try resolve("app:app", ["staff", "29", "7777"])
        #expect(user.additionalGids == [1000, 50, 29, 7777])
    }

    @Test func errorsUseDockerWording() {
        #expect(throws: SpecBuildError.unknownUser("nobody")) { try resolve("nobody") }
        #expect(SpecBuildError.unknownUser("nobody").description == "unable to find user nobody: no matching entries in passwd file")
        #expect(throws: SpecBuildError.unknownGroup("wheel")) { try resolve("app:wheel") }
        #expect(throws: SpecBuildError.unknownAdditionalGroup("wheel")) { try resolve("app", ["wheel"]) }
        #expect(throws: SpecBuildError.idOutOfRange("-1")) { try resolve("-1") }
        #expect(throws: SpecBuildError.idOutOfRange("2147483648")) { try resolve("2147483648") }
    }

    @Test func noPasswdFileStillAllowsNumericIDs() throws {
        #expect(try UserResolver.resolve(user: "33:33", passwd: nil, group: nil) == ResolvedUser(uid: 33, gid: 33, additionalGids: [33], home: "/"))
        #expect(throws: SpecBuildError.unknownUser("www")) { try UserResolver.resolve(user: "www", passwd: nil, group: nil) }
    }

    @Test func readsFilesInsideRootfsAndKeepsSymlinksInside() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("berth-spec-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: true)
        try passwd.write(toFile: root + "/real/passwd", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        // An absolute symlink means the container's /real, not the host's.
        #expect(symlink("/real/passwd", root + "/etc/passwd") == 0)
        // ".." stops at the rootfs: this finds <root>/real/group, not a host path.
        try "audio:x:29:app\n".write(toFile: root + "/real/group", atomically: true, encoding: .utf8)
        #expect(symlink("../../../../../../../../real/group", root + "/etc/group") == 0)
        let user = try UserResolver.resolve(user: "app", rootfs: root)
        #expect(user.uid == 1000 && user.home == "/home/app")
        #expect(user.additionalGids == [1000, 29])
    }

    @Test func missingFilesMeanNoEntries() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("berth-spec-empty-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try UserResolver.resolve(user: "", rootfs: root) == ResolvedUser(uid: 0, gid: 0, additionalGids: [0], home: "/"))
        #expect(throws: SpecBuildError.unknownUser("app")) { try UserResolver.resolve(user: "app", rootfs: root) }
    }
}
