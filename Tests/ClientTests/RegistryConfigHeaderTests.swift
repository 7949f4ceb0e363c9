import Foundation
import Testing
@testable import Client

/// The CLI's `X-Registry-Config`: every stored login, docker's shape.
@Suite struct RegistryConfigHeaderTests {
    @Test func everyStoredLoginIsSent() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/berth-creds-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = CredentialFile(path: dir + "/config.json")
        #expect(try file.registryConfigHeader() == nil)
        try file.store(StoredCredentials(username: "alice", password: "a:b/c+"), forDomain: "127.0.0.1:5000")
        try file.store(StoredCredentials(username: "hub", password: "h"), forDomain: "docker.io")
        let header = try #require(try file.registryConfigHeader())
        #expect(!header.contains("+") && !header.contains("/"))
        var standard = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        let object = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: standard))) as? [String: [String: String]]
        #expect(object?["127.0.0.1:5000"] == ["username": "alice", "password": "a:b/c+", "serveraddress": "127.0.0.1:5000"])
        #expect(object?["https://index.docker.io/v1/"]?["username"] == "hub")
    }
}
