import DockerAPI
import Foundation

/// Prints a JSON-message stream (pull, push, load) as the docker CLI does: on a terminal each layer
/// keeps one line that is rewritten in place (cursor up, clear, rewrite, cursor down) with a progress
/// bar sized to the terminal; elsewhere one plain line per message, byte-count updates left out.
/// An `error` message ends the stream with that error.
public struct JSONMessageRenderer {
    /// Whether the output is a terminal.
    public let isTerminal: Bool
    /// The terminal's width in columns (docker assumes 200 when unknown).
    public let width: Int
    private let write: (String) -> Void
    private var lines: [String: Int] = [:]

    /// A renderer writing with `write`.
    public init(isTerminal: Bool, width: Int = 200, write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.width = width
        self.write = write
    }

    /// Renders one message; returns the aux payload, if the message carried one.
    /// Throws `ClientError.stream` for an error message.
    @discardableResult
    public mutating func render(_ message: JSONMessage) throws -> JSONMessage.Aux? {
        if let error = message.errorDetail?.message ?? message.error {
            throw ClientError.stream(error)
        }
        if let aux = message.aux { return aux }
        var diff = 0
        let hasProgress = message.progressDetail != nil || message.progress != nil
        if let id = message.id, hasProgress {
            let line: Int
            if let known = lines[id] {
                line = known
            } else {
                line = lines.count
                lines[id] = line
                if isTerminal { write("\n") }
            }
            diff = lines.count - line
            if isTerminal && diff > 0 { write("\u{1b}[\(diff)A") }
        } else {
            lines = [:]
        }
        display(message)
        if message.id != nil && isTerminal && diff > 0 { write("\u{1b}[\(diff)B") }
        return nil
    }

    /// One message's text (docker's `JSONMessage.Display`).
    private func display(_ message: JSONMessage) {
        let detail = message.progressDetail
        let bar = detail.map { ProgressBar.render(current: $0.current ?? 0, total: $0.total ?? 0, width: width) } ?? ""
        var endl = ""
        if isTerminal && message.stream == nil && detail != nil {
            write("\u{1b}[1K\u{1b}[K")
            endl = "\r"
            write(endl)
        } else if detail != nil && !bar.isEmpty {
            return
        }
        var text = ""
        if let id = message.id { text += id + ": " }
        let status = message.status ?? ""
        if detail != nil && isTerminal {
            text += status + " " + bar + endl
        } else if let progress = message.progress, !progress.isEmpty {
            text += status + " " + progress + endl
        } else if let stream = message.stream {
            text += stream + endl
        } else {
            text += status + endl + "\n"
        }
        write(text)
    }

    /// Renders every message of `body` (JSON lines); returns the aux payloads seen.
    public mutating func renderAll(_ body: ByteSource) throws -> [JSONMessage.Aux] {
        let reader = LineReader(body)
        var auxes: [JSONMessage.Aux] = []
        let decoder = JSONDecoder()
        while let line = try reader.next() {
            guard !line.isEmpty, let message = try? decoder.decode(JSONMessage.self, from: Data(line)) else { continue }
            if let aux = try render(message) { auxes.append(aux) }
        }
        return auxes
    }
}
