import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// A file fetched over HTTP(S) (`ADD <url>`), hashed while it was written.
public struct DownloadedFile: Sendable, Equatable {
    /// Where the body was written.
    public var path: String
    /// Its size in bytes.
    public var size: Int64
    /// `sha256:<hex>` of the body.
    public var digest: String
    /// The `Last-Modified` header as seconds since the epoch, when the server sent a valid one.
    public var lastModified: Int64?
    /// The `Content-Disposition` header, when sent.
    public var contentDisposition: String?
}

/// Why a download failed; every case names the URL.
public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not an http or https URL.
    case badURL(String)
    /// The server answered with a status other than 200 (after following redirects).
    case status(url: String, code: Int, reason: String)
    /// The connection or the transfer failed.
    case transport(url: String, reason: String)
    /// The file could not be written.
    case file(url: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .badURL(let url): "invalid URL for ADD: \(url)"
        case .status(let url, let code, let reason): "failed to GET \(url) with status \(code) \(reason)"
        case .transport(let url, let reason): "failed to GET \(url): \(reason)"
        case .file(let url, let path, let code): "failed to GET \(url): writing \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// HTTP(S) downloads for the builder (`ADD <url>`), through the registry client's connection pool
/// (verified TLS, redirects followed, connect timeout 15 s, 120 s without a byte).
public enum URLDownload {
    /// GETs `url` into a new file at `path` (mode 0600), hashing the body as it is written.
    public static func fetch(_ url: String, to path: String) async throws(DownloadError) -> DownloadedFile {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            throw .badURL(url)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .file(url: url, path: path, errno: errno) }
        defer { close(fd) }
        let response: HTTPClientResponse
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: "berth-builder")
            response = try await RegistryTransport.shared.secure.execute(request, timeout: .hours(1))
        } catch {
            throw .transport(url: url, reason: "\(error)")
        }
        guard response.status == .ok else {
            throw .status(url: url, code: Int(response.status.code), reason: response.status.reasonPhrase)
        }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            for try await buffer in response.body {
                try buffer.withUnsafeReadableBytes { raw in
                    hasher.update(bufferPointer: raw)
                    var offset = 0
                    while offset < raw.count {
                        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw DownloadError.file(url: url, path: path, errno: errno)
                        }
                        offset += n
                    }
                }
                size += Int64(buffer.readableBytes)
            }
        } catch let error as DownloadError {
            throw error
        } catch {
            throw .transport(url: url, reason: "\(error)")
        }
        let digest = "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return DownloadedFile(path: path, size: size, digest: digest,
                              lastModified: response.headers.first(name: "Last-Modified").flatMap(Self.httpDate),
                              contentDisposition: response.headers.first(name: "Content-Disposition"))
    }

    /// Seconds since the epoch of an HTTP date (RFC 1123, RFC 850 or asctime), as Go's `http.ParseTime`.
    static func httpDate(_ text: String) -> Int64? {
        let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in formats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) { return Int64(date.timeIntervalSince1970) }
        }
        return nil
    }
}
