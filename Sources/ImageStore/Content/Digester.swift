import Crypto
import OCI

/// Streaming SHA-256 / SHA-512 over swift-crypto: feed chunks with `update`, then `finalize`.
/// A value owned by one writer (swift-crypto's hash states are not Sendable).
public struct Digester {
    private enum State {
        case sha256(SHA256)
        case sha512(SHA512)
    }

    private var state: State
    /// The algorithm this digester computes.
    public let algorithm: DigestAlgorithm

    /// Starts a hash of `algorithm` (SHA-256 unless told).
    public init(algorithm: DigestAlgorithm = .sha256) {
        self.algorithm = algorithm
        switch algorithm {
        case .sha256: state = .sha256(SHA256())
        case .sha512: state = .sha512(SHA512())
        }
    }

    /// Adds the bytes in `buffer` to the hash.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        switch state {
        case .sha256(var hash):
            hash.update(bufferPointer: buffer)
            state = .sha256(hash)
        case .sha512(var hash):
            hash.update(bufferPointer: buffer)
            state = .sha512(hash)
        }
    }

    /// Adds `bytes` to the hash.
    public mutating func update(bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything added so far (the digester can keep being updated).
    public func finalize() -> OCI.Digest {
        switch state {
        case .sha256(let hash): OCI.Digest(algorithm: .sha256, bytes: Array(hash.finalize()))
        case .sha512(let hash): OCI.Digest(algorithm: .sha512, bytes: Array(hash.finalize()))
        }
    }

    /// The digest of `bytes` in one call.
    public static func digest(of bytes: [UInt8], algorithm: DigestAlgorithm = .sha256) -> OCI.Digest {
        var digester = Digester(algorithm: algorithm)
        digester.update(bytes: bytes)
        return digester.finalize()
    }
}
