import Engine
import NIOHTTP1
import Testing
@testable import EngineAPI

@Suite struct RouterTests {
    @Test func matchesSegmentsAndGreedyImageNames() {
        #expect(Router.match(["containers", "{id}", "json"], ["containers", "abc", "json"]) == ["id": "abc"])
        #expect(Router.match(["images", "{name*}", "json"], ["images", "docker.io", "library", "busybox:latest", "json"])
                == ["name": "docker.io/library/busybox:latest"])
        #expect(Router.match(["images", "{name*}"], ["images", "a", "b"]) == ["name": "a/b"])
        #expect(Router.match(["containers", "{id}", "json"], ["containers", "json"]) == nil)
    }

    @Test func stripsTheVersionAndDecodesTheQuery() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1.47/containers/json?all=1&filters=%7B%22a%22%3A1%7D&x=a+b")
        let request = Router.makeRequest(head: head, body: .none)
        #expect(request.apiVersion == "1.47")
        #expect(request.path == "/containers/json")
        #expect(request.bool("all"))
        #expect(request.string("filters") == "{\"a\":1}")
        #expect(request.string("x") == "a b")
    }

    @Test func comparesVersions() {
        #expect(Router.compare("1.9", "1.47") < 0)
        #expect(Router.compare("1.47", "1.47") == 0)
        #expect(Router.compare("1.50", "1.47") > 0)
    }

    @Test func refusesATooNewClient() async {
        let router = Router([])
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1.99/_ping")
        let response = await router.handle(Router.makeRequest(head: head, body: .none))
        guard case .body(let status, _, let bytes, _) = response else { Issue.record("expected a body"); return }
        #expect(status == .badRequest)
        #expect(String(decoding: bytes, as: UTF8.self).contains("client version 1.99 is too new"))
    }
}

@Suite struct StreamFramingTests {
    @Test func framesAndParsesDockerStreams() {
        var parser = FrameParser()
        let a = ShimBridge.frame(1, Array("hello".utf8)), b = ShimBridge.frame(2, Array("err".utf8))
        let all = a + b
        parser.feed(Array(all[0..<5]))
        #expect(parser.next() == nil)
        parser.feed(Array(all[5...]))
        let first = parser.next(), second = parser.next()
        #expect(first?.0 == 1 && first?.1 == Array("hello".utf8))
        #expect(second?.0 == 2 && second?.1 == Array("err".utf8))
        #expect(parser.next() == nil)
    }

    @Test func detachKeys() throws {
        #expect(try DetachKeys.parse(nil) == [16, 17])
        #expect(try DetachKeys.parse("ctrl-a,x") == [1, 120])
        #expect(throws: EngineError.self) { try DetachKeys.parse("ctrl-ab") }
    }

    @Test func humanDurations() {
        #expect(ContainerViews.humanDuration(500_000_000) == "Less than a second")
        #expect(ContainerViews.humanDuration(1_000_000_000) == "1 second")
        #expect(ContainerViews.humanDuration(45_000_000_000) == "45 seconds")
        #expect(ContainerViews.humanDuration(90_000_000_000) == "About a minute")
        #expect(ContainerViews.humanDuration(3 * 3_600_000_000_000) == "3 hours")
    }
}
