/// Why a string is not a valid digest; `description` names the input and the problem.
public enum DigestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `algorithm:` prefix.
    case missingAlgorithm(String)
    /// An algorithm other than sha256 or sha512.
    case unsupportedAlgorithm(String, algorithm: String)
    /// A character that is not lowercase hex.
    case invalidCharacter(String, character: Character)
    /// The hex part has the wrong length for its algorithm.
    case wrongLength(String, algorithm: DigestAlgorithm, count: Int)

    /// The digest as it was given.
    public var input: String {
        switch self {
        case .missingAlgorithm(let text), .unsupportedAlgorithm(let text, _),
            .invalidCharacter(let text, _), .wrongLength(let text, _, _):
            text
        }
    }

    /// `invalid digest "sha256:abc": sha256 needs 64 hex characters, got 3`.
    public var description: String {
        let reason: String
        switch self {
        case .missingAlgorithm:
            reason = "expected algorithm:hex, e.g. sha256:<64 hex characters>"
        case .unsupportedAlgorithm(_, let algorithm):
            reason = algorithm.isEmpty
                ? "the algorithm is missing before ':'"
                : "unsupported algorithm \"\(algorithm)\" (expected sha256 or sha512)"
        case .invalidCharacter(_, let character):
            reason = "'\(character)' is not a lowercase hex digit"
        case .wrongLength(_, let algorithm, let count):
            reason = "\(algorithm.rawValue) needs \(algorithm.hexLength) hex characters, got \(count)"
        }
        return "invalid digest \"\(input)\": \(reason)"
    }
}
