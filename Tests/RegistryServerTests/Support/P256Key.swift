import Crypto

/// A fresh P-256 private key in PEM, for ES256 token tests.
enum P256Key {
    static func pem() -> String { P256.Signing.PrivateKey().pemRepresentation }
}
