import DockerAPI
import Foundation
import Testing
@testable import Client

/// The tty build view: a stream of berthd's build messages fed at chosen times, the frames compared whole.
@Suite struct BuildTTYViewTests {
    static func start(_ n: Int, _ name: String) -> JSONMessage {
        JSONMessage(stream: "Step \(n)/4 : \(name)\n", berthStep: BuildStepStatus(step: n, total: 4, phase: "start", name: name))
    }
    static func mark(_ n: Int, _ phase: String, _ text: String) -> JSONMessage {
        JSONMessage(stream: text, berthStep: BuildStepStatus(step: n, total: 4, phase: phase))
    }

    /// FROM done, COPY cached, RUN running with output: the frame at t = 2.5.
    static func running() -> BuildProgressModel {
        var model = BuildProgressModel()
        model.apply(start(1, "FROM busybox"), at: 0)
        model.apply(mark(1, "done", " ---> 1a2b3c4d5e6f\n"), at: 0.04)
        model.apply(start(2, "COPY app /app"), at: 0.1)
        model.apply(mark(2, "cached", " ---> Using cache\n ---> 2b3c4d5e6f70\n"), at: 0.12)
        model.apply(start(3, "RUN make all"), at: 0.2)
        for n in 1...8 { model.apply(JSONMessage(stream: "line \(n)\n"), at: 0.3 + Double(n) / 10) }
        model.apply(JSONMessage(stream: "partial"), at: 1.5)
        return model
    }

    @Test func runningStepShowsItsTimeAndLastSixLines() {
        let frame = BuildTTYView(width: 50, height: 40).frame(Self.running(), now: 2.5, final: false)
        #expect(frame == [
            "[+] Building 2.5s (2/4)",
            " => DONE [1/4] FROM busybox                  0.0s",
            " => CACHED [2/4] COPY app /app               0.0s",
            " => [3/4] RUN make all                       2.3s",
            " => => # line 4",
            " => => # line 5",
            " => => # line 6",
            " => => # line 7",
            " => => # line 8",
            " => => # partial",
        ])
        #expect(frame.allSatisfy { $0.count <= 49 })
    }

    @Test func summaryCollapsesOutputAndSaysFinished() {
        var model = Self.running()
        model.apply(Self.mark(3, "done", " ---> 3c4d5e6f7081\n"), at: 3.0)
        model.apply(Self.start(4, "CMD [\"app\"]"), at: 3.1)
        model.apply(Self.mark(4, "done", " ---> 4d5e6f708192\n"), at: 3.2)
        model.apply(JSONMessage(aux: .init(id: "sha256:4d5e6f708192")), at: 3.2)
        model.apply(JSONMessage(stream: "Successfully built 4d5e6f708192\n"), at: 3.3)
        model.apply(JSONMessage(stream: "Successfully tagged app:1\n"), at: 3.3)
        let frame = BuildTTYView(width: 50, height: 40).frame(model, now: 9, final: true)
        #expect(frame == [
            "[+] Building 3.2s (4/4) FINISHED",
            " => DONE [1/4] FROM busybox                  0.0s",
            " => CACHED [2/4] COPY app /app               0.0s",
            " => DONE [3/4] RUN make all                  2.8s",
            " => DONE [4/4] CMD [\"app\"]                   0.1s",
            "Successfully built 4d5e6f708192",
            "Successfully tagged app:1",
        ])
        #expect(model.imageID == "sha256:4d5e6f708192")
    }

    @Test func failedStepKeepsItsLastLinesInTheSummary() {
        var model = Self.running()
        model.apply(JSONMessage(error: "Dockerfile:3: The command '/bin/sh -c make all' returned a non-zero code: 2",
                                errorDetail: .init(message: "Dockerfile:3: The command '/bin/sh -c make all' returned a non-zero code: 2")), at: 4)
        let frame = BuildTTYView(width: 60, height: 40).frame(model, now: 5, final: true)
        #expect(frame.first == "[+] Building 4.0s (3/4) ERROR")
        #expect(frame[3] == " => ERROR [3/4] RUN make all" + String(repeating: " ", count: 27) + "3.8s")
        #expect(Array(frame.dropFirst(4)) == (1...8).map { " => => # line \($0)" } + [" => => # partial"])
        #expect(model.error?.hasPrefix("Dockerfile:3:") == true)
    }

    @Test func aStepStillRunningWhenTheNextStartsIsDone() {
        var model = BuildProgressModel()
        model.apply(Self.start(1, "FROM scratch"), at: 0)
        model.apply(Self.start(2, "COPY a /a"), at: 0.5)
        #expect(model.steps.map(\.state) == [.done, .running])
        #expect(model.steps[0].ended == 0.5)
    }

    @Test func aBasePullShowsUnderItsFromStepWithoutByteCounts() {
        var model = BuildProgressModel()
        model.apply(Self.start(1, "FROM r.example/base:1"), at: 0)
        model.apply(JSONMessage(status: "Pulling from base", id: "1"), at: 0.1)
        model.apply(JSONMessage(status: "Downloading", progressDetail: .init(current: 10, total: 100), id: "aaaaaaaaaaaa"), at: 0.2)
        model.apply(JSONMessage(status: "Pull complete", progressDetail: .init(), id: "aaaaaaaaaaaa"), at: 0.3)
        model.apply(JSONMessage(status: "Digest: sha256:abc"), at: 0.4)
        #expect(model.steps[0].output.tail(6) == ["1: Pulling from base", "aaaaaaaaaaaa: Pull complete", "Digest: sha256:abc"])
    }

    @Test func longLinesAreCutToTheWidthAndTheTimeStaysAtTheEdge() {
        var model = BuildProgressModel()
        model.apply(Self.start(1, "RUN " + String(repeating: "x", count: 100)), at: 0)
        model.apply(JSONMessage(stream: String(repeating: "y", count: 100) + "\n"), at: 0.1)
        let frame = BuildTTYView(width: 40, height: 40).frame(model, now: 12.34, final: false)
        #expect(frame[1] == " => [1/4] RUN xxxxxxxxxxxxxxxx... 12.3s")
        #expect(frame[2] == " => => # " + String(repeating: "y", count: 30))
        #expect(frame.allSatisfy { $0.count == 39 || $0.count < 39 })
    }

    @Test func wideCharactersCountTwoColumns() {
        var model = BuildProgressModel()
        model.apply(Self.start(1, "RUN echo 日本語"), at: 0)
        model.apply(JSONMessage(stream: String(repeating: "字", count: 30) + "\n"), at: 0.1)
        let frame = BuildTTYView(width: 30, height: 40).frame(model, now: 1, final: false)
        #expect(frame[1] == " => [1/4] RUN echo 日... 1.0s")
        #expect(frame[2] == " => => # " + String(repeating: "字", count: 10))
        #expect(frame.allSatisfy { BuildTTYView.columns($0) <= 29 })
    }

    @Test func framesTallerThanTheTerminalKeepTheLatestSteps() {
        var model = BuildProgressModel()
        for n in 1...4 { model.apply(Self.start(n, "ENV N=\(n)"), at: Double(n)) }
        let frame = BuildTTYView(width: 40, height: 4).frame(model, now: 5, final: false)
        #expect(frame.count == 4)
        #expect(frame[0].hasPrefix("[+] Building 4.0s (3/4)"))
        #expect(frame[1].hasPrefix(" => DONE [2/4] ENV N=2"))
        #expect(frame[3].hasPrefix(" => [4/4] ENV N=4"))
    }

    @Test func outputControlCharactersNeverReachTheFrame() {
        var lines = TerminalLines()
        lines.append("a\u{1b}[31mred\u{1b}[0m\tz\r\n")
        lines.append("10%\r50%\r100%\n")
        lines.append("\u{1b}]0;title\u{07}bell\u{07}\u{1}x")
        #expect(lines.lines == ["ared    z", "100%"])
        #expect(lines.partial == "bellx")
    }

    @Test func redrawMovesUpOverTheOldFrameAndClearsWhatIsLeft() {
        var frame = TerminalFrame()
        #expect(frame.redraw(["a", "b", "c"]) == "\ra\u{1b}[K\nb\u{1b}[K\nc\u{1b}[K\n\u{1b}[J")
        #expect(frame.redraw(["a2"]) == "\u{1b}[3A\ra2\u{1b}[K\n\u{1b}[J")
        #expect(frame.height == 1)
    }

    @Test func messagesCarryTheStepFieldAndDockerIgnoresNothingItNeeds() throws {
        let message = Self.start(2, "RUN make")
        let json = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        #expect(json.contains("\"berthStep\":{") && json.contains("\"stream\":\"Step 2\\/4 : RUN make\\n\""))
        let decoded = try JSONDecoder().decode(JSONMessage.self, from: Data(json.utf8))
        #expect(decoded == message)
    }
}
