import Foundation
import Hummingbird
import HTTPTypes

/// The error codes of the OCI Distribution Spec 1.1 (and docker's DENIED/TOOMANYREQUESTS extras),
/// each with the HTTP status the spec pairs it with.
public enum RegistryErrorCode: String, Sendable, Codable {
    case blobUnknown = "BLOB_UNKNOWN"
    case blobUploadInvalid = "BLOB_UPLOAD_INVALID"
    case blobUploadUnknown = "BLOB_UPLOAD_UNKNOWN"
    case digestInvalid = "DIGEST_INVALID"
    case manifestBlobUnknown = "MANIFEST_BLOB_UNKNOWN"
    case manifestInvalid = "MANIFEST_INVALID"
    case manifestUnknown = "MANIFEST_UNKNOWN"
    case nameInvalid = "NAME_INVALID"
    case nameUnknown = "NAME_UNKNOWN"
    case sizeInvalid = "SIZE_INVALID"
    case unauthorized = "UNAUTHORIZED"
    case denied = "DENIED"
    case unsupported = "UNSUPPORTED"
    case tooManyRequests = "TOOMANYREQUESTS"

    /// The status this code is sent with unless a route says otherwise.
    var defaultStatus: HTTPResponse.Status {
        switch self {
        case .blobUnknown, .blobUploadUnknown, .manifestUnknown, .nameUnknown: .notFound
        case .blobUploadInvalid, .digestInvalid, .manifestBlobUnknown, .manifestInvalid, .nameInvalid, .sizeInvalid: .badRequest
        case .unauthorized: .unauthorized
        case .denied: .forbidden
        case .unsupported: .methodNotAllowed
        case .tooManyRequests: .tooManyRequests
        }
    }
}

/// A request that failed with one of the spec's errors: rendered once, at the edge, as
/// `{"errors":[{"code","message","detail"}]}` with the status and any extra headers.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    /// The spec's code.
    public var code: RegistryErrorCode
    /// A human-readable message.
    public var message: String
    /// What the error is about (a digest, a name, a range); sent as the `detail` string.
    public var detail: String?
    /// The status to answer with.
    public var status: HTTPResponse.Status
    /// Headers the answer needs (e.g. `Range` on a 416, `WWW-Authenticate` on a 401).
    public var headers: HTTPFields

    /// Creates an error with the code's default status unless `status` is given.
    public init(_ code: RegistryErrorCode, _ message: String, detail: String? = nil,
                status: HTTPResponse.Status? = nil, headers: HTTPFields = [:]) {
        self.code = code
        self.message = message
        self.detail = detail
        self.status = status ?? code.defaultStatus
        self.headers = headers
    }

    public var description: String {
        "\(code.rawValue): \(message)" + (detail.map { " (\($0))" } ?? "")
    }

    /// The JSON body the spec prescribes.
    var body: Data {
        struct Item: Encodable { var code: String; var message: String; var detail: String? }
        struct Body: Encodable { var errors: [Item] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Body(errors: [Item(code: code.rawValue, message: message, detail: detail)]))) ?? Data()
    }
}
