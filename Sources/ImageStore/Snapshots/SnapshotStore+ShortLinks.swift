import Foundation
import Glibc
import OCI

/// Short names for snapshot directories, as docker's overlay2 keeps them: `snapshots/l/<ID>`
/// is a symlink to `../<chainID hex>/fs`, and `snapshots/<hex>/link` holds `<ID>`. With 8-character
/// IDs an overlay option string of 200 layers ("l/ABCDEFGH:" each) stays far below one page.
extension SnapshotStore {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// The short link name of committed snapshot `chainID`, creating the link if it is missing.
    public func shortLink(for chainID: Digest) throws -> String {
        guard exists(chainID: chainID) else { throw SnapshotError.notFound(chainID) }
        try ensureShortLink(for: chainID)
        return try String(contentsOfFile: path(for: chainID) + "/link", encoding: .utf8)
    }

    /// Picks an unused short ID (not yet linked in l/).
    func reserveShortLink() throws -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let id = String((0..<8).map { _ in Self.alphabet.randomElement(using: &generator)! })
            if !StoreFS.exists(linkDirectory + "/" + id) { return id }
        }
        throw StoreFSError("symlink", linkDirectory, EEXIST)
    }

    /// Makes sure `l/<ID>` points at the snapshot's fs (after a crash between rename and link,
    /// or for a snapshot committed without one).
    func ensureShortLink(for chainID: Digest) throws {
        let dir = path(for: chainID)
        let linkFile = dir + "/link"
        let expected = "../\(chainID.encoded)/fs"
        if let id = try? String(contentsOfFile: linkFile, encoding: .utf8), !id.isEmpty, !id.contains("/") {
            let link = linkDirectory + "/" + id
            if readLink(link) == expected { return }
            if !StoreFS.exists(link) {
                if symlink(expected, link) == 0 || readLink(link) == expected { return }
            }
        }
        // No link yet, or its name was taken by another snapshot: make a fresh one.
        while true {
            let id = try reserveShortLink()
            if symlink(expected, linkDirectory + "/" + id) == 0 {
                try StoreFS.writeFile(linkFile, Array(id.utf8))
                return
            }
            if errno != EEXIST { throw StoreFSError("symlink", linkDirectory + "/" + id) }
        }
    }

    private func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
