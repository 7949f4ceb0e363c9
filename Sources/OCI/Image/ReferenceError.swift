/// Why a string is not an image reference; `description` uses Docker's wording where Docker has one.
public enum ReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Characters or structure no reference can have (Docker: `invalid reference format`).
    case invalidFormat
    /// The repository path has uppercase letters; carries the path as Docker prints it (`library/Busybox`).
    case uppercaseRepository(String)
    /// The tag is not `[\w][\w.-]{0,127}`.
    case invalidTag(String)
    /// The digest is well-formed in shape but not valid (algorithm, length, case).
    case invalidDigest(DigestError)
    /// `domain/path` is longer than 255 characters.
    case nameTooLong
    /// 64 hex characters alone: an image ID, not a repository name.
    case hexIdentifier(String)

    /// The message the user sees.
    public var description: String {
        switch self {
        case .invalidFormat:
            "invalid reference format"
        case .uppercaseRepository(let path):
            "invalid reference format: repository name (\(path)) must be lowercase"
        case .invalidTag(let tag):
            "invalid tag \"\(tag)\": a tag is 1 to 128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'"
        case .invalidDigest(let error):
            error.description
        case .nameTooLong:
            "repository name must not be longer than \(ImageReference.maximumNameLength) characters"
        case .hexIdentifier(let text):
            "invalid repository name (\(text)), cannot specify 64-byte hexadecimal strings"
        }
    }
}
