import Foundation
import Logging

/// swift-log handler for the daemon: one line per record on stderr, as text
/// (`time level message key=value…`) or JSON.
struct DaemonLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        var all = metadata
        for (k, v) in extra ?? [:] { all[k] = v }
        let time = Date().formatted(.iso8601)   // FoundationEssentials' style: no ICU formatter per line
        var text: String
        if json {
            var object: [String: String] = ["time": time, "level": level.rawValue, "msg": message.description]
            for (k, v) in all { object[k] = "\(v)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = "time=\"\(time)\" level=\(level.rawValue) msg=\"\(message)\""
            for (k, v) in all.sorted(by: { $0.key < $1.key }) { text += " \(k)=\(v)" }
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
