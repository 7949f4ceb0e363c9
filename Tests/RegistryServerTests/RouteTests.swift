import Testing
@testable import RegistryServer

@Suite struct RouteTests {
    @Test func parsesNestedNamesFromTheEnd() {
        #expect(Route(path: "/v2/") == .base)
        #expect(Route(path: "/v2") == .base)
        #expect(Route(path: "/v2/_catalog") == .catalog)
        #expect(Route(path: "/v2/a/b/c/manifests/latest") == .manifest(name: "a/b/c", reference: "latest"))
        #expect(Route(path: "/v2/a/blobs/sha256:00") == .blob(name: "a", digest: "sha256:00"))
        #expect(Route(path: "/v2/a/blobs/blobs/x") == .blob(name: "a/blobs", digest: "x"))
        #expect(Route(path: "/v2/a/b/blobs/uploads/") == .uploads(name: "a/b"))
        #expect(Route(path: "/v2/a/b/blobs/uploads/1234") == .upload(name: "a/b", id: "1234"))
        #expect(Route(path: "/v2/a/tags/list") == .tags(name: "a"))
        #expect(Route(path: "/v2/a/referrers/sha256:1") == .referrers(name: "a", digest: "sha256:1"))
        #expect(Route(path: "/v2/a") == nil)
        #expect(Route(path: "/other") == nil)
    }

    @Test func repositoryNamesFollowTheSpec() {
        for name in ["a", "a/b", "library/ubuntu", "a-b", "a--b", "a__b", "a.b", "a_b/c-d/e.f", "0"] {
            #expect(RepositoryName.isValid(name), "\(name)")
        }
        for name in ["", "A", "a/", "/a", "a//b", "a___b", "a..b", "-a", "a-", "a b", String(repeating: "a", count: 256)] {
            #expect(!RepositoryName.isValid(name), "\(name)")
        }
        #expect(RepositoryName.isValidTag("v1.0_RC-2"))
        #expect(!RepositoryName.isValidTag(".hidden"))
        #expect(!RepositoryName.isValidTag(String(repeating: "t", count: 129)))
    }

    @Test func accessRulesMatchUsersAndGlobs() {
        let rules = [AccessRule(user: "*", repository: "*", actions: [.pull]),
                     AccessRule(user: "*", repository: "${user}/*", actions: [.push]),
                     AccessRule(user: "anonymous", repository: "public/*", actions: [.pull])]
        #expect(AccessRule.allowed(rules, user: "alice", repository: "alice/app") == [.pull, .push])
        #expect(AccessRule.allowed(rules, user: "bob", repository: "alice/app") == [.pull])
        #expect(AccessRule.allowed(rules, user: nil, repository: "alice/app").isEmpty)
        #expect(AccessRule.allowed(rules, user: nil, repository: "public/x") == [.pull])
    }

    @Test func configParsesYAML() throws {
        let config = try RegistryConfig(yaml: """
            addr: 127.0.0.1:6000
            root: /srv/registry
            readOnly: true
            tls: { cert: a.crt, key: a.key }
            token: { issuer: me, key: k.pem }
            access:
              - { user: "*", repository: "${user}/*", actions: [pull, push] }
            """)
        #expect(config.addr == "127.0.0.1:6000")
        #expect(config.readOnly)
        #expect(config.tls == .init(cert: "a.crt", key: "a.key"))
        #expect(config.token?.issuer == "me")
        #expect(config.access == [AccessRule(user: "*", repository: "${user}/*", actions: [.pull, .push])])
        #expect(try config.hostAndPort() == ("127.0.0.1", 6000))
        #expect(throws: ConfigError.self) { try RegistryConfig(yaml: "readOnly: [1") }
    }
}
