import Foundation
import OCI
import Testing
@testable import RegistryServer

/// Writes an htpasswd file (bcrypt, `$2y$` as htpasswd -B writes) for alice and bob.
private func writeHtpasswd(_ directory: String) throws -> String {
    let path = directory + "/htpasswd"
    let lines = [("alice", "wonderland"), ("bob", "builder")].map { Htpasswd.line(user: $0, password: $1, cost: 4) }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

private func basic(_ user: String, _ password: String) -> (String, String) {
    ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
}

@Suite struct AuthTests {
    @Test func basicAuthChallengesAndAccepts() async throws {
        try await withRegistry({ config, directory in config.htpasswd = try writeHtpasswd(directory) }) { registry in
            let anonymous = try await registry.send(.GET, "/v2/")
            #expect(anonymous.status == 401)
            #expect(anonymous.header("WWW-Authenticate") == #"Basic realm="berth-registry""#)
            #expect(anonymous.errorCode == "UNAUTHORIZED")
            #expect(anonymous.header("Docker-Distribution-API-Version") == "registry/2.0")
            #expect(try await registry.send(.GET, "/v2/", headers: [basic("alice", "wrong")]).status == 401)
            #expect(try await registry.send(.GET, "/v2/", headers: [basic("alice", "wonderland")]).status == 200)
            let digest = try await registry.pushBlob("alice/app", [1, 2], headers: [basic("alice", "wonderland")])
            #expect(try await registry.send(.HEAD, "/v2/alice/app/blobs/\(digest)").status == 401)
        }
    }

    @Test func basicAuthAppliesAccessRules() async throws {
        try await withRegistry({ config, directory in
            config.htpasswd = try writeHtpasswd(directory)
            config.access = [AccessRule(user: "*", repository: "*", actions: [.pull]),
                             AccessRule(user: "*", repository: "${user}/*", actions: [.pull, .push])]
        }) { registry in
            _ = try await registry.pushBlob("alice/app", [1], headers: [basic("alice", "wonderland")])
            let denied = try await registry.send(.POST, "/v2/alice/app/blobs/uploads/", headers: [basic("bob", "builder")])
            #expect(denied.status == 403)
            #expect(denied.errorCode == "DENIED")
        }
    }

    @Test func tokenFlowGrantsOwnNamespaceAndDeniesOthers() async throws {
        try await withRegistry({ config, directory in
            config.htpasswd = try writeHtpasswd(directory)
            try "a-shared-secret-of-enough-length".write(toFile: directory + "/token.key", atomically: true, encoding: .utf8)
            config.token = .init(issuer: "berth-test", key: directory + "/token.key")
            config.access = [AccessRule(user: "*", repository: "*", actions: [.pull]),
                             AccessRule(user: "*", repository: "${user}/*", actions: [.pull, .push])]
        }) { registry in
            let challenge = try await registry.send(.POST, "/v2/alice/app/blobs/uploads/")
            #expect(challenge.status == 401)
            let header = try #require(challenge.header("WWW-Authenticate"))
            #expect(header == #"Bearer realm="http://127.0.0.1:\#(registry.port)/token",service="berth-test",scope="repository:alice/app:pull,push""#)

            func token(_ user: String, _ password: String, scope: String) async throws -> String {
                let reply = try await registry.send(.GET, "/token?service=berth-test&scope=\(scope)", headers: [basic(user, password)])
                #expect(reply.status == 200)
                return try #require(try reply.json()["token"] as? String)
            }
            let alice = try await token("alice", "wonderland", scope: "repository:alice/app:pull,push")
            let pushed = try await registry.pushBlob("alice/app", [4, 2], headers: [("Authorization", "Bearer \(alice)")])
            // Bob asks for push on alice's repository: the token only carries pull.
            let bob = try await token("bob", "builder", scope: "repository:alice/app:pull,push")
            let denied = try await registry.send(.POST, "/v2/alice/app/blobs/uploads/", headers: [("Authorization", "Bearer \(bob)")])
            #expect(denied.status == 401)
            #expect(denied.header("WWW-Authenticate")?.contains(#"error="insufficient_scope""#) == true)
            let read = try await registry.send(.HEAD, "/v2/alice/app/blobs/\(pushed)", headers: [("Authorization", "Bearer \(bob)")])
            #expect(read.status == 200)
            // Bad credentials at the token endpoint; a forged token.
            #expect(try await registry.send(.GET, "/token?scope=repository:alice/app:pull", headers: [basic("bob", "nope")]).status == 401)
            let forged = alice.dropLast(3) + "abc"
            #expect(try await registry.send(.GET, "/v2/", headers: [("Authorization", "Bearer \(forged)")]).status == 401)
        }
    }

    @Test func es256TokensVerify() throws {
        let directory = NSTemporaryDirectory() + "berth-es256-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = P256Key.pem()
        try key.write(toFile: directory + "/es.pem", atomically: true, encoding: .utf8)
        let authority = try TokenAuthority(keyPath: directory + "/es.pem", issuer: "iss", service: "svc")
        #expect(authority.algorithm == "ES256")
        let token = try authority.issue(subject: "alice", access: [TokenAccess(type: "repository", name: "a", actions: ["pull"])])
        let claims = try #require(authority.verify(token))
        #expect(claims.sub == "alice")
        #expect(claims.access == [TokenAccess(type: "repository", name: "a", actions: ["pull"])])
        #expect(authority.verify(token, now: Date().addingTimeInterval(3600)) == nil)
    }

    @Test func readOnlyRefusesWrites() async throws {
        try await withRegistry({ config, _ in config.readOnly = true }) { registry in
            let reply = try await registry.send(.POST, "/v2/ro/blobs/uploads/")
            #expect(reply.status == 405)
            #expect(reply.errorCode == "UNSUPPORTED")
            #expect(try await registry.send(.GET, "/v2/").status == 200)
        }
    }
}
