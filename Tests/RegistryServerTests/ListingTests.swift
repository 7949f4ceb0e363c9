import Foundation
import OCI
import Testing
@testable import RegistryServer

@Suite struct ListingTests {
    @Test func tagsPaginateWithLinkHeaders() async throws {
        try await withRegistry { registry in
            let (_, manifest) = try await registry.pushImage("pages", tag: "a", layers: [[1]])
            for tag in ["b", "c", "d", "e"] {
                _ = try await registry.send(.PUT, "/v2/pages/manifests/\(tag)", headers: [("Content-Type", MediaType.ociManifest)], body: manifest)
            }
            let all = try await registry.send(.GET, "/v2/pages/tags/list")
            #expect(try all.json()["tags"] as? [String] == ["a", "b", "c", "d", "e"])
            #expect(try all.json()["name"] as? String == "pages")
            #expect(all.header("Link") == nil)
            let first = try await registry.send(.GET, "/v2/pages/tags/list?n=2")
            #expect(try first.json()["tags"] as? [String] == ["a", "b"])
            #expect(first.header("Link") == #"</v2/pages/tags/list?n=2&last=b>; rel="next""#)
            let second = try await registry.send(.GET, "/v2/pages/tags/list?n=2&last=b")
            #expect(try second.json()["tags"] as? [String] == ["c", "d"])
            let last = try await registry.send(.GET, "/v2/pages/tags/list?n=2&last=d")
            #expect(try last.json()["tags"] as? [String] == ["e"])
            #expect(last.header("Link") == nil)
            let zero = try await registry.send(.GET, "/v2/pages/tags/list?n=0")
            #expect(try zero.json()["tags"] as? [String] == [])
        }
    }

    @Test func unknownRepositoryTagsAreNameUnknown() async throws {
        try await withRegistry { registry in
            let reply = try await registry.send(.GET, "/v2/nobody/tags/list")
            #expect(reply.status == 404)
            #expect(reply.errorCode == "NAME_UNKNOWN")
        }
    }

    @Test func catalogListsNestedRepositoriesWithPagination() async throws {
        try await withRegistry { registry in
            for name in ["zeta", "alpha/one", "alpha/one/two", "beta"] {
                _ = try await registry.pushImage(name, tag: "latest", layers: [[1]])
            }
            let all = try await registry.send(.GET, "/v2/_catalog")
            #expect(try all.json()["repositories"] as? [String] == ["alpha/one", "alpha/one/two", "beta", "zeta"])
            let page = try await registry.send(.GET, "/v2/_catalog?n=3")
            #expect(try page.json()["repositories"] as? [String] == ["alpha/one", "alpha/one/two", "beta"])
            #expect(page.header("Link") == #"</v2/_catalog?n=3&last=beta>; rel="next""#)
            let rest = try await registry.send(.GET, "/v2/_catalog?n=3&last=beta")
            #expect(try rest.json()["repositories"] as? [String] == ["zeta"])
        }
    }
}
