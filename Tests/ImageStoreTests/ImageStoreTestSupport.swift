// Helpers of the image store, import/export and interop tests: a store in a temp root, tars built
// with python3's tarfile (so names like `../evil` can be written), JSON files, tool runs.
import Foundation
import Glibc
import ImageStore
import OCI

/// Runs `body` with an `ImageStore` at a fresh temp root, which is unmounted and removed afterwards.
func withImageStore<T>(_ body: (ImageStore, String) async throws -> T) async throws -> T {
    try await StoreTempRoot.with { root in
        let store = try ImageStore(root: root + "/store", platform: Platform(architecture: "amd64", os: "linux"))
        return try await body(store, root)
    }
}

/// One member of a test tar: a file with `data`, a directory (`type: "dir"`) or a symlink (`type: "sym"`).
struct XferTarMember: Encodable {
    var name: String
    var data: String = ""
    var type: String = "file"
    var link: String = ""
}

/// Writes a tar of `members` at `path` (gzip-compressed when `gzip`), with fixed mtimes.
func xferMakeTar(_ members: [XferTarMember], at path: String, gzip: Bool = false) throws {
    let json = String(decoding: try JSONEncoder().encode(members), as: UTF8.self)
    let script = """
        import io, json, sys, tarfile
        members = json.loads(sys.argv[2])
        with tarfile.open(sys.argv[1], "w:gz" if sys.argv[3] == "1" else "w", format=tarfile.PAX_FORMAT) as tar:
            for m in members:
                info = tarfile.TarInfo(m["name"]); info.mtime = 1700000000
                if m["type"] == "dir":
                    info.type = tarfile.DIRTYPE; info.mode = 0o755; tar.addfile(info)
                elif m["type"] == "sym":
                    info.type = tarfile.SYMTYPE; info.linkname = m["link"]; tar.addfile(info)
                else:
                    data = m["data"].encode(); info.size = len(data); info.mode = 0o755
                    tar.addfile(info, io.BytesIO(data))
        """
    try layerRun(["/usr/bin/python3", "-c", script, path, json, gzip ? "1" : "0"])
}

/// sha256 of the file at `path`.
func xferDigest(ofFile path: String) throws -> Digest {
    var digester = Digester()
    digester.update(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    return digester.finalize()
}

/// Writes `bytes` to `path`, creating parent directories.
func xferWrite(_ path: String, _ bytes: [UInt8]) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Writes `bytes` as blob `blobs/sha256/<hex>` under `dir`; returns its digest.
@discardableResult
func xferWriteBlob(_ dir: String, _ bytes: [UInt8]) throws -> Digest {
    let digest = Digester.digest(of: bytes)
    try xferWrite(dir + "/blobs/sha256/" + digest.encoded, bytes)
    return digest
}

/// Makes a layer tar at `dir/<name>` holding `files` (path → content); returns its path.
func xferLayer(_ dir: String, _ name: String, files: [String: String], gzip: Bool = false) throws -> String {
    let path = dir + "/" + name
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try xferMakeTar(files.keys.sorted().map { XferTarMember(name: $0, data: files[$0]!) }, at: path, gzip: gzip)
    return path
}

/// The config of a one-platform linux/amd64 image with `diffIDs` and `cmd`.
func xferConfig(diffIDs: [Digest], cmd: [String] = ["sh"]) throws -> [UInt8] {
    let config = ImageConfig(
        created: "2024-01-01T00:00:00Z", architecture: "amd64", os: "linux",
        config: ContainerConfig(cmd: cmd), rootfs: RootFS(diffIDs: diffIDs))
    return Array(try config.encoded())
}

/// True when `tool` is on PATH.
func xferHasTool(_ tool: String) -> Bool {
    (try? layerShell("command -v \(tool)")) != nil
}

/// Names of every file and directory below `dir`, relative, sorted.
func xferTree(_ dir: String) -> [String] {
    (FileManager.default.subpaths(atPath: dir) ?? []).sorted()
}
