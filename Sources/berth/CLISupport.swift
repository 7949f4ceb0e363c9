import Client
import DockerAPI
import Foundation

/// The version of the berth CLI.
let berthCLIVersion = "0.1.0"

/// An exit with a status and an optional message for stderr.
struct CLIExit: Error {
    var code: Int32
    var message: String?
    init(_ code: Int32, _ message: String? = nil) { self.code = code; self.message = message }
}

/// A usage error (bad flag value): docker prints it with the command's usage and exits 125.
struct UsageError: Error {
    var message: String
    /// Argument-count errors read `berth: 'berth run' requires …` and end with `See '…'`.
    var argumentCount = false
    var atLeast = false
    init(_ message: String) { self.message = message }

    /// `'berth stop' requires at least 1 argument`.
    static func atLeast(_ n: Int, _ command: String) -> UsageError {
        var e = UsageError("'\(command)' requires at least \(n) argument\(n == 1 ? "" : "s")")
        e.argumentCount = true; e.atLeast = true
        return e
    }

    /// `'berth logs' requires 1 argument`.
    static func exactly(_ n: Int, _ command: String) -> UsageError {
        var e = UsageError("'\(command)' requires \(n) argument\(n == 1 ? "" : "s")")
        e.argumentCount = true
        return e
    }
}

/// Writes to stdout directly (no stdio buffering to interleave with raw streams).
func out(_ text: String) { try? FileDescriptorSink.stdout.write(text + "\n") }

/// Writes text to stdout without a newline.
func outRaw(_ text: String) { try? FileDescriptorSink.stdout.write(text) }

/// Writes a line to stderr.
func err(_ text: String) { try? FileDescriptorSink.stderr.write(text + "\n") }

/// Connects to the daemon chosen by `-H` (passed on as `BERTH_HOST`) or the default.
func connectClient() throws -> BerthClient {
    let address = try DaemonAddress.resolve(flag: nil)
    return try earlyPing.client(for: address) ?? BerthClient.connect(to: address)
}

/// Runs `body` for each target like docker's multi-target commands: failures
/// are printed and the exit status is 1 if any failed.
func forEachTarget(_ targets: [String], _ body: (String) throws -> Void) throws {
    var failed = false
    for target in targets {
        do { try body(target) } catch let error as ClientError {
            if case .cannotConnect = error { throw error }
            err(error.description); failed = true
        }
    }
    if failed { throw CLIExit(1) }
}

/// Parses `--filter` values, turning a bad one into a usage error.
func parseFilters(_ items: [String]) throws -> [(String, String)] {
    do { return try FlagParsers.filters(items) } catch let error as FlagError { throw UsageError(error.description) }
}

/// Renders rows with a `--format` (or the default table) and prints them.
func printList(_ rows: [TemplateValue], format: String, headers: [String: String], typeName: String? = nil) throws {
    do {
        outRaw(try ListFormatter(format: format, headers: headers, contextTypeName: typeName).render(rows))
    } catch let error as TemplateError {
        throw CLIExit(1, (error.isParseError ? "failed to parse template: " : "failed to execute template: ") + error.description)
    }
}

/// Whether a `--format` needs the daemon to compute sizes (docker asks when `.Size` or JSON is printed).
func formatNeedsSize(_ format: String?) -> Bool {
    guard let format else { return false }
    return format.contains(".Size") || format.contains("json .")
}

/// The `--format` shorthand rules: `json` or a template; `table` keeps the default table.
func resolveFormat(_ format: String?, default defaultFormat: String) -> String {
    guard let format, !format.isEmpty, format != "table" else { return defaultFormat }
    return format
}

/// Opens `path` for reading (or stdin for `-` / nil).
func openInput(_ path: String?) throws -> Int32 {
    guard let path, path != "-" else { return 0 }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CLIExit(1, "open \(path): \(String(cString: strerror(errno)))") }
    return fd
}

/// Opens `path` for writing (or stdout for nil / `-`); refuses a terminal stdout for binary data.
func openOutput(_ path: String?, what: String) throws -> Int32 {
    guard let path, path != "-" else {
        if isatty(1) == 1 {
            throw CLIExit(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect")
        }
        return 1
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw CLIExit(1, "failed to save \(what): open \(path): \(String(cString: strerror(errno)))") }
    return fd
}

/// Copies a response body to a descriptor.
func copyBody(_ body: ResponseBody, to fd: Int32) throws {
    let sink = FileDescriptorSink(fd: fd)
    while let chunk = try body.read(max: 256 * 1024) { try sink.write(chunk) }
}

/// Prints a JSON-message stream (pull, load, import) the way docker does without
/// a terminal: one line per message; an `error` ends it with a failure.
func printJSONMessages(_ body: ResponseBody, to sink: FileDescriptorSink = .stdout, quiet: Bool = false) throws {
    let lines = LineReader(body)
    while let line = try lines.next() {
        guard !line.isEmpty else { continue }
        guard let message = try? JSONDecoder().decode(JSONMessage.self, from: Data(line)) else { continue }
        if let error = message.errorDetail?.message ?? message.error { throw ClientError.daemon(status: 500, message: error) }
        if quiet { continue }
        if let stream = message.stream { try sink.write(stream); continue }
        guard let status = message.status else { continue }
        if message.progressDetail?.total != nil || message.progress != nil, isatty(sink.fd) == 0 { continue }
        if let id = message.id { try sink.write("\(id): \(status)\n") } else { try sink.write(status + "\n") }
    }
}

/// `name[:tag]` with docker's default tag.
func splitRepoTag(_ reference: String) -> (repo: String, tag: String) {
    let parts = Display.splitReference(reference)
    return (parts.repo, parts.tag ?? (parts.digest == nil ? "latest" : parts.digest!))
}

/// Decodes a raw inspect document as a template value.
func templateValue(_ raw: [UInt8]) throws -> TemplateValue {
    do { return try TemplateValue(json: raw) } catch { throw CLIExit(1, "cannot read the daemon's answer: \(error)") }
}
