import ArgumentParser
import Client
import Foundation

/// `berth attach`: our terminal to a running container's stdio.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "Attach local standard input, output, and error streams to a running container",
        usage: "berth attach [OPTIONS] CONTAINER")
    @Option(name: .customLong("detach-keys"), help: "Override the key sequence for detaching a container") var detachKeys: String?
    @Flag(name: .customLong("no-stdin"), help: "Do not attach STDIN") var noStdin = false
    @Flag(name: .customLong("sig-proxy"), inversion: .prefixedNo, help: "Proxy all received signals to the process") var sigProxy = true
    @Argument var container: String

    func run() throws {
        let client = try connectClient()
        let brief = try client.containerBrief(container)
        guard brief.running else { throw CLIExit(1, "You cannot attach to a stopped container, start it first") }
        if brief.paused { throw CLIExit(1, "You cannot attach to a paused container, unpause it first") }
        let stdin = !noStdin && brief.openStdin
        if brief.tty && stdin && !RawTerminal.isTerminal(0) { throw CLIExit(1, "the input device is not a TTY") }
        let stream = try client.attach(brief.id, stdin: stdin, detachKeys: detachKeys)
        let terminal = RawTerminal(fd: 0)
        var monitor: WindowResizeMonitor?
        if brief.tty, RawTerminal.isTerminal(1) {
            let id = brief.id
            monitor = WindowResizeMonitor(fd: 1) { rows, cols in try? client.resizeContainer(id, height: rows, width: cols) }
        }
        if brief.tty && stdin && RawTerminal.isTerminal(0) { terminal.makeRaw() }
        defer { terminal.restore(); monitor?.cancel() }
        let keys = try detachKeys.map { try parseDetachKeys($0) } ?? [16, 17]
        if try AttachSession(stream: stream, tty: brief.tty, sendStdin: stdin, detachKeys: keys).run() == .detached {
            terminal.restore()
            err("read escape sequence")
            return
        }
        terminal.restore()
        let after = try client.containerBrief(brief.id)
        if !after.running, after.exitCode != 0 { throw CLIExit(Int32(truncatingIfNeeded: after.exitCode)) }
    }
}
