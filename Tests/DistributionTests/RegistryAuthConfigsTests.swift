import Foundation
import Testing
@testable import Distribution

/// `X-Registry-Config` as the docker CLI sends it, matched to registries as dockerd matches it.
@Suite struct RegistryAuthConfigsTests {
    static func header(_ json: String, urlSafe: Bool = true) -> String {
        let text = Data(json.utf8).base64EncodedString()
        return urlSafe ? text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") : text
    }

    @Test func keysMatchRegistryDomains() throws {
        let configs = try RegistryAuthConfigs(header: Self.header("""
            {"https://index.docker.io/v1/":{"username":"hub","password":"p1"},
             "http://127.0.0.1:5000/v2/":{"auth":"\(Data("carol:pw?>".utf8).base64EncodedString())"},
             "r.example:443":{"username":"r","password":"p3","serveraddress":"r.example:443"}}
            """))
        #expect(configs.credentials(forDomain: "docker.io").username == "hub")
        #expect(configs.credentials(forDomain: "registry-1.docker.io").password == "p1")
        let local = configs.credentials(forDomain: "127.0.0.1:5000")
        #expect(local.username == "carol" && local.password == "pw?>")
        #expect(configs.credentials(forDomain: "r.example:443").username == "r")
        #expect(configs.credentials(forDomain: "other:5000").isEmpty)
    }

    @Test func emptyHeadersAreAnonymousAndGarbageIsRefused() throws {
        #expect(try RegistryAuthConfigs(header: nil).byDomain.isEmpty)
        #expect(try RegistryAuthConfigs(header: Self.header("{}", urlSafe: false)).byDomain.isEmpty)
        #expect(throws: RegistryError.self) { try RegistryAuthConfigs(header: "not base64 at all!") }
        #expect(throws: RegistryError.self) { try RegistryAuthConfigs(header: Self.header("[1,2]")) }
    }
}
