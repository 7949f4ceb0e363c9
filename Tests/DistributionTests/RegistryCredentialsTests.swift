import Foundation
import OCI
import Testing
@testable import Distribution

@Suite struct RegistryCredentialsTests {
    @Test func xRegistryAuthRoundTripsAsBase64URL() {
        let credentials = RegistryCredentials(username: "u?>", password: "p~~~", serverAddress: "localhost:5000")
        let header = credentials.registryAuthHeader
        #expect(!header.contains("+") && !header.contains("/"))
        #expect(RegistryCredentials(registryAuthHeader: header) == credentials)
    }

    @Test func unpaddedAndDockerCLIHeaders() {
        // The docker CLI sends base64url of {"username":…,"password":…,"serveraddress":…}.
        let json = #"{"username":"alice","password":"s3cret","serveraddress":"127.0.0.1:5000"}"#
        let unpadded = Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let decoded = RegistryCredentials(registryAuthHeader: unpadded)
        #expect(decoded.username == "alice" && decoded.password == "s3cret" && decoded.serverAddress == "127.0.0.1:5000")
        #expect(decoded.hasSecret)
    }

    @Test func emptyOrGarbageHeaderIsAnonymous() {
        #expect(RegistryCredentials(registryAuthHeader: nil).isEmpty)
        #expect(RegistryCredentials(registryAuthHeader: "").isEmpty)
        #expect(RegistryCredentials(registryAuthHeader: "e30=").isEmpty)
        #expect(RegistryCredentials(registryAuthHeader: "!!!not base64").isEmpty)
    }

    @Test func combinedAuthFieldIsSplit() throws {
        let auth = Data("bob:pa:ss".utf8).base64EncodedString()
        let decoded = try JSONDecoder().decode(RegistryCredentials.self, from: Data(#"{"auth":"\#(auth)"}"#.utf8))
        #expect(decoded.username == "bob" && decoded.password == "pa:ss")
    }

    @Test func loginServerAddressesMapToDomains() {
        #expect(RegistryLogin.domain(ofServer: nil) == "docker.io")
        #expect(RegistryLogin.domain(ofServer: "https://index.docker.io/v1/") == "docker.io")
        #expect(RegistryLogin.domain(ofServer: "localhost:5000") == "localhost:5000")
        #expect(RegistryLogin.domain(ofServer: "http://127.0.0.1:5000/v2/") == "127.0.0.1:5000")
    }
}

@Suite struct RegistryConfigurationTests {
    @Test func loopbackAndConfiguredRegistriesAreInsecure() {
        let config = RegistryConfiguration(insecureRegistries: ["reg.lan:5000", "10.1.0.0/16", "http://plain.example"])
        #expect(config.isInsecure("localhost:5000"))
        #expect(config.isInsecure("127.0.0.1:41234"))
        #expect(config.isInsecure("[::1]:5000"))
        #expect(config.isInsecure("reg.lan:5000"))
        #expect(!config.isInsecure("reg.lan:5001"))
        #expect(config.isInsecure("10.1.200.3:5000"))
        #expect(!config.isInsecure("10.2.0.1:5000"))
        #expect(config.isInsecure("plain.example"))
        #expect(!config.isInsecure("registry.example.com"))
    }

    @Test func dockerHubPullsTryMirrorsFirstButPushesDoNot() throws {
        let mirror = try RegistryConfiguration.parseMirror("http://127.0.0.1:5999/")
        let config = RegistryConfiguration(mirrors: [mirror])
        let pull = config.endpoints(for: "docker.io")
        #expect(pull.map(\.baseURL) == ["http://127.0.0.1:5999", "https://registry-1.docker.io"])
        #expect(pull[0].isMirror && pull[0].isInsecure)
        #expect(config.endpoints(for: "docker.io", forPush: true).map(\.baseURL) == ["https://registry-1.docker.io"])
        #expect(config.endpoints(for: "localhost:5000").map(\.baseURL) == ["https://localhost:5000"])
    }

    @Test func badMirrorsAreRefused() {
        #expect(throws: RegistryError.self) { try RegistryConfiguration.parseMirror("ftp://x") }
        #expect(throws: RegistryError.self) { try RegistryConfiguration.parseMirror("https://x/some/path") }
        #expect(throws: RegistryError.self) { try RegistryConfiguration.parseMirror("not a url") }
    }

    @Test func pullReferencesTakeTagOrDigestParameter() throws {
        #expect(try RegistryService.reference("busybox", tag: nil).string == "docker.io/library/busybox:latest")
        #expect(try RegistryService.reference("localhost:5000/a/b", tag: "v1").string == "localhost:5000/a/b:v1")
        #expect(try RegistryService.reference("localhost:5000/a:old", tag: "new").string == "localhost:5000/a:new")
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        #expect(try RegistryService.reference("x", tag: digest).string == "docker.io/library/x@" + digest)
        #expect(throws: RegistryError.invalidReference("UPPER", reason: "invalid reference format: repository name (library/UPPER) must be lowercase")) {
            try RegistryService.reference("UPPER", tag: nil)
        }
        #expect(throws: RegistryError.self) { try RegistryService.reference("x", tag: "bad tag") }
    }

    @Test func registryErrorsReadLikeDockers() {
        let unknown = RegistryErrorEntry(code: "MANIFEST_UNKNOWN", message: "manifest unknown")
        #expect(RegistryError.manifestUnknown(reference: "localhost:5000/x:nope", entry: unknown).description
            == "manifest for localhost:5000/x:nope not found: manifest unknown: manifest unknown")
        let list = RegistryErrorEntry.decodeList(Array(#"{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"x"}}]}"#.utf8))
        #expect(list == [RegistryErrorEntry(code: "NAME_UNKNOWN", message: "repository name not known to registry")])
        #expect(RegistryErrorEntry.decodeList(Array("not json".utf8)) == nil)
        let digest = TestDigests.zero
        #expect(RegistryError.digestMismatch(digest: digest, actual: digest).description.contains(digest.string))
    }
}

enum TestDigests {
    static let zero = try! Digest(parsing: "sha256:" + String(repeating: "0", count: 64))
}
