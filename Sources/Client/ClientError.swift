/// Everything the client can fail with, rendered once at the edge as docker prints it.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The socket could not be reached.
    case cannotConnect(DaemonAddress, errno: Int32)
    /// `-H`/`BERTH_HOST` could not be parsed.
    case invalidHost(String, reason: String)
    /// The daemon answered with a non-2xx status and this message.
    case daemon(status: Int, message: String)
    /// The daemon's answer was not HTTP as expected.
    case protocolViolation(String)
    /// A system call failed.
    case system(String, errno: Int32)
    /// A response body could not be decoded into the expected model.
    case decoding(String, underlying: String)
    /// A JSON-message stream (pull, push) ended with this error; docker prints it as it is.
    case stream(String)
    /// A file of a build context changed between its listing and its upload.
    case changedWhileSending(String)

    public var description: String {
        switch self {
        case .cannotConnect(let address, _):
            return "Cannot connect to the Berth daemon at \(address). Is berthd running?"
        case .invalidHost(let text, let reason):
            return "invalid host \"\(text)\": \(reason)"
        case .daemon(_, let message):
            return "Error response from daemon: \(message)"
        case .protocolViolation(let what):
            return "protocol error talking to the daemon: \(what)"
        case .system(let what, let code):
            return "\(what): \(String(cString: strerror(code)))"
        case .decoding(let what, let underlying):
            return "cannot decode the daemon's \(what): \(underlying)"
        case .stream(let message):
            return message
        case .changedWhileSending(let path):
            return "\(path) changed while the build context was being sent"
        }
    }

    /// The HTTP status for daemon errors, else nil.
    public var status: Int? {
        if case .daemon(let status, _) = self { return status }
        return nil
    }

    /// True for a 404 from the daemon.
    public var isNotFound: Bool { status == 404 }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
