import Testing
@testable import Client

/// Stream decoding, addresses and request framing.
@Suite struct TransportTests {
    @Test func multiplexedFramesSplitByStream() throws {
        let bytes = MultiplexedReader.encode(.stdout, Array("out\n".utf8)) + MultiplexedReader.encode(.stderr, Array("err".utf8))
            + MultiplexedReader.encode(.stdout, [])
        let reader = MultiplexedReader(MemorySource(bytes))
        #expect(try reader.next() == StreamFrame(stream: .stdout, payload: Array("out\n".utf8)))
        #expect(try reader.next() == StreamFrame(stream: .stderr, payload: Array("err".utf8)))
        #expect(try reader.next() == nil)
    }

    @Test func truncatedFrameIsAnError() {
        let bytes = Array(MultiplexedReader.encode(.stdout, Array("hello".utf8)).dropLast(2))
        #expect(throws: ClientError.self) { _ = try MultiplexedReader(MemorySource(bytes)).next() }
    }

    @Test func lineReaderSplitsJSONLines() throws {
        let lines = LineReader(MemorySource(Array("{\"a\":1}\r\n{\"b\":2}\nlast".utf8)))
        #expect(try lines.next() == Array("{\"a\":1}".utf8))
        #expect(try lines.next() == Array("{\"b\":2}".utf8))
        #expect(try lines.next() == Array("last".utf8))
        #expect(try lines.next() == nil)
    }

    @Test func hostAddresses() throws {
        #expect(try DaemonAddress(parsing: "unix:///run/x.sock").socketPath == "/run/x.sock")
        #expect(try DaemonAddress(parsing: "/tmp/d.sock").description == "unix:///tmp/d.sock")
        #expect(throws: ClientError.self) { try DaemonAddress(parsing: "tcp://1.2.3.4:2375") }
        #expect(try DaemonAddress.resolve(flag: nil, environment: ["BERTH_HOST": "unix:///a"]).socketPath == "/a")
        #expect(try DaemonAddress.resolve(flag: nil, environment: ["DOCKER_HOST": "unix:///b"]).socketPath == "/run/berth/berth.sock")
        #expect(try DaemonAddress.resolve(flag: "/c", environment: ["BERTH_HOST": "unix:///a"]).socketPath == "/c")
    }

    @Test func connectFailureWording() {
        let error = ClientError.cannotConnect(DaemonAddress(socketPath: "/run/berth/berth.sock"), errno: 2)
        #expect(error.description == "Cannot connect to the Berth daemon at unix:///run/berth/berth.sock. Is berthd running?")
    }

    @Test func requestHeadFraming() {
        let head = String(decoding: HTTPRequest(method: "POST", target: "/v1.47/x", body: .bytes([1, 2])).head(), as: UTF8.self)
        #expect(head.hasPrefix("POST /v1.47/x HTTP/1.1\r\n"))
        #expect(head.contains("Content-Length: 2\r\n"))
        let chunked = String(decoding: HTTPRequest(method: "POST", target: "/x", body: .stream(fd: 0)).head(), as: UTF8.self)
        #expect(chunked.contains("Transfer-Encoding: chunked\r\n"))
    }

    @Test func queryEncoding() {
        #expect(buildTarget("/p", [("a", "x y"), ("b", nil), ("c", "{\"k\":1}")]) == "/p?a=x%20y&c=%7B%22k%22%3A1%7D")
        #expect(encodeFilters([("status", "running"), ("status", "exited")]) == #"{"status":{"exited":true,"running":true}}"#)
    }

    @Test func versionComparison() {
        #expect(compareVersions("1.41", "1.47") < 0)
        #expect(compareVersions("1.10", "1.9") > 0)
        #expect(compareVersions("1.47", "1.47") == 0)
    }

    @Test func jsonIndentKeepsOrderAndEmptyContainers() {
        let out = indentJSON(Array(#"{"b":1,"a":[],"c":{},"d":["x",{"e":"}"}]}"#.utf8))
        #expect(out == """
        {
            "b": 1,
            "a": [],
            "c": {},
            "d": [
                "x",
                {
                    "e": "}"
                }
            ]
        }
        """)
    }

    @Test func detachKeys() throws {
        #expect(try parseDetachKeys("ctrl-p,ctrl-q") == [16, 17])
        #expect(try parseDetachKeys("a,ctrl-@") == [97, 0])
        #expect(throws: FlagError.self) { try parseDetachKeys("ctrl-1x") }
    }
}
