import Testing
@testable import Build

/// `ADD <url>`'s pure rules: the file name and the checksum check.
@Suite struct RemoteFileTests {
    @Test func nameComesFromThePathThenFromContentDisposition() {
        #expect(RemoteFile.name(url: "http://h:8/a/b/tool.tar.gz?x=1#f", contentDisposition: nil) == "tool.tar.gz")
        #expect(RemoteFile.name(url: "http://h/a%20b.txt", contentDisposition: nil) == "a b.txt")
        #expect(RemoteFile.name(url: "http://h/dir/", contentDisposition: "attachment; filename=\"got.bin\"") == "got.bin")
        #expect(RemoteFile.name(url: "http://h", contentDisposition: "attachment; filename=x/y.txt") == "y.txt")
        #expect(RemoteFile.name(url: "http://h/dir/", contentDisposition: nil) == nil)
        #expect(RemoteFile.name(url: "http://h/", contentDisposition: "attachment; filename=\"d/\"") == nil)
    }

    @Test func checksumMismatchNamesTheURLAndBothDigests() {
        let good = "sha256:" + String(repeating: "ab", count: 32)
        #expect(throws: Never.self) { try RemoteFile.verify(checksum: good.uppercased().replacingOccurrences(of: "SHA256", with: "sha256"), digest: good, url: "http://h/f") }
        let other = "sha256:" + String(repeating: "cd", count: 32)
        #expect(throws: BuildError("checksum mismatch for http://h/f: expected \(other), downloaded content is \(good)")) {
            try RemoteFile.verify(checksum: other, digest: good, url: "http://h/f")
        }
        #expect(throws: BuildError("invalid --checksum md5:abc: expected sha256:<64 hex digits>")) {
            try RemoteFile.verify(checksum: "md5:abc", digest: good, url: "http://h/f")
        }
    }
}
