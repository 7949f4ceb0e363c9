import Foundation
import OCI

/// Which repositories each blob was pulled from or pushed to (`registry/path`), so a push to another
/// repository of the same registry can mount it instead of uploading it. One small file per blob
/// under `directory/<alg>/<hex>`, written to a temporary name and renamed.
public struct BlobSources: Sendable {
    /// Where the files live (`<root>/distribution/blob-sources`).
    public let directory: String
    /// Most repositories remembered per blob.
    static let limit = 16

    /// Opens (creating if needed) the record under `directory`.
    public init(directory: String) {
        self.directory = directory
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func path(_ digest: Digest) -> String { "\(directory)/\(digest.algorithm.rawValue)-\(digest.encoded)" }

    /// Repositories (`domain/path`) known to hold `digest`, most recent first.
    public func sources(of digest: Digest) -> [String] {
        guard let text = try? String(contentsOfFile: path(digest), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Remembers that `repository` (`domain/path`) holds `digest`.
    public func add(_ digest: Digest, repository: String) {
        var list = sources(of: digest).filter { $0 != repository }
        list.insert(repository, at: 0)
        let text = list.prefix(Self.limit).joined(separator: "\n")
        let target = path(digest)
        let temporary = target + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        if rename(temporary, target) != 0 { unlink(temporary) }
    }
}
