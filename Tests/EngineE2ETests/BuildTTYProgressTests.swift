// `berth build --progress=tty` end to end on a pseudo-terminal (script(1)): steps drawn in place,
// RUN output under the running step, the summary at the end; plain stays the legacy text.
import Foundation
import Glibc
import Testing

extension EngineE2E.Build {
    /// Runs `berth build` on a pseudo-terminal of 100 × 40.
    func berthOnTerminal(_ d: Daemon, _ args: [String]) -> CommandResult {
        var env = d.environment
        env["BERTH_HOST"] = d.host
        env["TERM"] = "xterm"
        let quoted = args.map { "'\($0)'" }.joined(separator: " ")
        let command = "stty cols 100 rows 40; '\(d.binDir)/berth' \(quoted)"
        return runCommand(["script", "-qec", command, "/dev/null"], environment: env, timeout: 120)
    }

    @Test func ttyProgressDrawsStepsInPlaceAndEndsWithASummary() throws {
        let d = try currentDaemon()
        let ctx = try BuildContext([
            "a": "a\n",
            "Dockerfile": "FROM busybox\nRUN for i in 1 2 3; do echo tick-$i; sleep 0.4; done # \(UInt32.random(in: 0...UInt32.max))\nCOPY a /a\n",
        ])
        defer { ctx.remove() }
        let tag = uniqueName("tty")
        defer { d.docker("rmi", "-f", tag) }
        // auto on a terminal is tty.
        let first = berthOnTerminal(d, ["build", "-t", tag, ctx.path])
        #expect(first.status == 0, "\(first)")
        let text = first.stdout
        #expect(text.contains("[+] Building") && text.contains("\u{1b}[K\r\n") && text.contains("A\r"), "redrawn in place: \(text.debugDescription)")
        #expect(text.contains(" => => # tick-1"), "a running RUN shows its output: \(text.debugDescription)")
        #expect(!text.contains("Step 1/3"), "no plain text: \(text.debugDescription)")
        let summary = Self.lastFrame(text)
        #expect(summary.first?.hasPrefix("[+] Building") == true && summary.first?.hasSuffix("(3/3) FINISHED") == true, "\(summary)")
        #expect(summary.contains { $0.hasPrefix(" => DONE [2/3] RUN for i in 1 2 3") }, "\(summary)")
        #expect(!summary.contains { $0.contains("=> => #") }, "output is collapsed in the summary: \(summary)")
        #expect(summary.contains("Successfully tagged \(tag):latest"), "\(summary)")

        let cached = berthOnTerminal(d, ["build", "--progress=tty", "-t", tag, ctx.path])
        #expect(Self.lastFrame(cached.stdout).contains { $0.hasPrefix(" => CACHED [2/3] RUN for i") }, "\(cached.stdout.debugDescription)")
        let plain = berthOnTerminal(d, ["build", "--progress=plain", "-t", tag, ctx.path])
        #expect(plain.stdout.contains("Step 2/3 : RUN for i") && !plain.stdout.contains("[+] Building"), "\(plain.stdout.debugDescription)")

        try ctx.write("Dockerfile", "FROM busybox\nRUN echo boom-\(UInt32.random(in: 0...UInt32.max)) && exit 4\n")
        let failed = berthOnTerminal(d, ["build", ctx.path])
        #expect(failed.status != 0, "\(failed)")
        let failure = Self.lastFrame(failed.stdout)
        #expect(failure.first?.hasSuffix("(2/2) ERROR") == true, "\(failure)")
        #expect(failure.contains { $0.hasPrefix(" => ERROR [2/2] RUN echo boom-") }, "\(failure)")
        #expect(failure.contains { $0.hasPrefix(" => => # boom-") }, "the failed step keeps its output: \(failure)")
        #expect(failed.stdout.contains("returned a non-zero code: 4"), "\(failed.stdout.debugDescription)")
    }

    /// The lines of the last frame drawn (after the last cursor-up), without escape sequences.
    static func lastFrame(_ text: String) -> [String] {
        let start = text.range(of: "A\r", options: .backwards)?.upperBound ?? text.startIndex
        return text[start...].replacingOccurrences(of: "\u{1b}[K", with: "").replacingOccurrences(of: "\u{1b}[J", with: "")
            .replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
    }
}
