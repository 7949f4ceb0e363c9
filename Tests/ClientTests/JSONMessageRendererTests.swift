import DockerAPI
import Testing
@testable import Client

@Suite struct JSONMessageRendererTests {
    static let pull: [JSONMessage] = [
        JSONMessage(status: "Pulling from library/busybox", id: "latest"),
        JSONMessage(status: "Pulling fs layer", progressDetail: .init(), id: "aaaaaaaaaaaa"),
        JSONMessage(status: "Pulling fs layer", progressDetail: .init(), id: "bbbbbbbbbbbb"),
        JSONMessage(status: "Downloading", progress: "[=>  ] 1kB/2kB", progressDetail: .init(current: 1000, total: 2000), id: "aaaaaaaaaaaa"),
        JSONMessage(status: "Download complete", progressDetail: .init(), id: "aaaaaaaaaaaa"),
        JSONMessage(status: "Pull complete", progressDetail: .init(), id: "bbbbbbbbbbbb"),
        JSONMessage(status: "Digest: sha256:abc"),
        JSONMessage(status: "Status: Downloaded newer image for busybox:latest"),
    ]

    @Test func plainOutputHasOneLinePerStepAndNoByteCounts() throws {
        var text = ""
        var renderer = JSONMessageRenderer(isTerminal: false) { text += $0 }
        for message in Self.pull { try renderer.render(message) }
        #expect(text == """
            latest: Pulling from library/busybox
            aaaaaaaaaaaa: Pulling fs layer
            bbbbbbbbbbbb: Pulling fs layer
            aaaaaaaaaaaa: Download complete
            bbbbbbbbbbbb: Pull complete
            Digest: sha256:abc
            Status: Downloaded newer image for busybox:latest

            """)
    }

    @Test func terminalOutputRewritesEachLayersLineInPlace() throws {
        var text = ""
        var renderer = JSONMessageRenderer(isTerminal: true, width: 120) { text += $0 }
        for message in Self.pull.prefix(4) { try renderer.render(message) }
        let clear = "\u{1b}[1K\u{1b}[K\r"
        let bar = "[" + String(repeating: "=", count: 25) + ">" + String(repeating: " ", count: 25) + "] " + "     1kB/2kB"
        #expect(text == "latest: Pulling from library/busybox\n"
            + "\n\u{1b}[1A" + clear + "aaaaaaaaaaaa: Pulling fs layer \r\u{1b}[1B"
            + "\n\u{1b}[1A" + clear + "bbbbbbbbbbbb: Pulling fs layer \r\u{1b}[1B"
            // The first layer is two lines up: cursor up 2, rewrite, down 2.
            + "\u{1b}[2A" + clear + "aaaaaaaaaaaa: Downloading " + bar + "\r\u{1b}[2B")
    }

    @Test func errorMessagesEndTheStream() {
        var renderer = JSONMessageRenderer(isTerminal: false) { _ in }
        #expect(throws: ClientError.self) {
            try renderer.render(JSONMessage(error: "boom", errorDetail: .init(message: "boom")))
        }
    }

    @Test func auxIsReturnedNotPrinted() throws {
        var text = ""
        var renderer = JSONMessageRenderer(isTerminal: false) { text += $0 }
        let aux = try renderer.render(JSONMessage(progressDetail: .init(), aux: .init(tag: "v1", digest: "sha256:x", size: 527)))
        #expect(aux?.tag == "v1" && aux?.size == 527)
        #expect(text.isEmpty)
    }
}

@Suite struct ProgressBarTests {
    @Test func barsAndNumbersAsDockerdWritesThem() {
        #expect(ProgressBar.render(current: 1_081_344, total: 50_430_000)
            == "[=>" + String(repeating: " ", count: 49) + "]  1.081MB/50.43MB")
        #expect(ProgressBar.render(current: 2_162_000, total: 2_162_000)
            == "[" + String(repeating: "=", count: 50) + ">]  2.162MB/2.162MB")
        #expect(ProgressBar.render(current: 0, total: 0) == "")
        #expect(ProgressBar.render(current: 512, total: 1024, width: 80) == "    512B/1.024kB", "narrow: numbers only")
        #expect(ProgressBar.render(current: 3000, total: 1000, width: 80) == "     3kB", "a wonky total is dropped")
    }

    @Test func humanSizesUseFourSignificantDigits() {
        #expect(ProgressBar.humanSize(999) == "999B")
        #expect(ProgressBar.humanSize(1000) == "1kB")
        #expect(ProgressBar.humanSize(12_345_678) == "12.35MB")
        #expect(ProgressBar.humanSize(1_500_000_000) == "1.5GB")
    }
}
