// Helpers for the layer tests: temp dirs, tar building with python3 tarfile,
// running tools, reading back what landed on disk.
import Foundation
import Glibc
import Testing
@testable import ImageStore

let layerIsRoot = getuid() == 0

/// A temp directory removed (after unmounting anything left under it) when the test ends.
final class LayerTempDir {
    let path: String

    init() throws {
        var template = Array("/tmp/berth-layer-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw LayerTestError("mkdtemp failed")
        }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path/name`, created as a directory when `make` is true.
    func sub(_ name: String, make: Bool = false) throws -> String {
        let full = path + "/" + name
        if make { try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true) }
        return full
    }

    deinit {
        for mount in layerMountPoints(under: path).reversed() { umount2(mount, Int32(MNT_DETACH)) }
        _ = try? layerRun(["/bin/rm", "-rf", "--one-file-system", path])
    }
}

struct LayerTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// glibc's makedev().
func layerMakedev(_ major: UInt64, _ minor: UInt64) -> UInt64 {
    ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32)
}

/// Mount points at or below `path`, from /proc/self/mountinfo.
func layerMountPoints(under path: String) -> [String] {
    guard let info = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
    return info.split(separator: "\n").compactMap { line in
        let fields = line.split(separator: " ")
        guard fields.count > 4 else { return nil }
        let point = String(fields[4])
        return point == path || point.hasPrefix(path + "/") ? point : nil
    }
}

/// Runs a program; returns its stdout, throwing on a nonzero exit.
@discardableResult
func layerRun(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw LayerTestError("\(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return output
}

/// Runs a shell command line.
@discardableResult
func layerShell(_ command: String) throws -> String {
    String(decoding: try layerRun(["/bin/sh", "-c", command]), as: UTF8.self)
}

/// One member of a test tar.
struct LayerTarMember: Encodable {
    var name: String
    var type: String = "file"          // file dir symlink hardlink char block fifo
    var data: String = ""
    var link: String = ""
    var mode: Int = 0o644
    var uid: Int = 0
    var gid: Int = 0
    var mtime: String = "1700000000.25"
    var devmajor: Int = 0
    var devminor: Int = 0
    var xattrs: [String: String] = [:]  // key -> hex value (PAX only)

    static func file(_ name: String, _ data: String = "", mode: Int = 0o644) -> Self { .init(name: name, data: data, mode: mode) }
    static func dir(_ name: String, mode: Int = 0o755) -> Self { .init(name: name, type: "dir", mode: mode) }
    static func symlink(_ name: String, to target: String) -> Self { .init(name: name, type: "symlink", link: target, mode: 0o777) }
    static func hardlink(_ name: String, to target: String) -> Self { .init(name: name, type: "hardlink", link: target) }
}

private let tarScript = """
import io, json, sys, tarfile
spec = json.load(open(sys.argv[1]))
fmt = tarfile.GNU_FORMAT if spec["format"] == "gnu" else tarfile.PAX_FORMAT
types = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
         "hardlink": tarfile.LNKTYPE, "char": tarfile.CHRTYPE, "block": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE}
with tarfile.open(spec["out"], "w", format=fmt) as t:
    for m in spec["members"]:
        ti = tarfile.TarInfo(m["name"])
        ti.type = types[m["type"]]
        ti.mode, ti.uid, ti.gid = m["mode"], m["uid"], m["gid"]
        ti.mtime = int(float(m["mtime"]))
        ti.linkname = m["link"]
        ti.devmajor, ti.devminor = m["devmajor"], m["devminor"]
        ti.uname = ti.gname = ""
        data = m["data"].encode()
        if fmt == tarfile.PAX_FORMAT:
            ti.pax_headers = {"mtime": m["mtime"]}
            for k, v in m["xattrs"].items():
                ti.pax_headers["SCHILY.xattr." + k] = bytes.fromhex(v).decode("utf-8", "surrogateescape")
        if ti.type == tarfile.REGTYPE:
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
        else:
            t.addfile(ti)
"""

/// Writes `members` as a tar ("pax" or "gnu") at `path` with python3's tarfile.
func layerMakeTar(_ members: [LayerTarMember], at path: String, format: String = "pax") throws {
    struct Spec: Encodable { let out: String; let format: String; let members: [LayerTarMember] }
    let specPath = path + ".json"
    try JSONEncoder().encode(Spec(out: path, format: format, members: members)).write(to: URL(fileURLWithPath: specPath))
    defer { unlink(specPath) }
    try layerRun(["/usr/bin/python3", "-c", tarScript, specPath])
}

/// Tar member names in order ("/" after directories, " -> target" for links), via python3 tarfile.
func layerTarListing(_ path: String) throws -> [String] {
    let script = "import sys,tarfile\nfor m in tarfile.open(sys.argv[1]): print(m.name + ('/' if m.isdir() else '') + (' -> ' + m.linkname if m.issym() or m.islnk() else ''))"
    return String(decoding: try layerRun(["/usr/bin/python3", "-c", script, path]), as: UTF8.self)
        .split(separator: "\n").map(String.init)
}

/// lstat or nil.
func layerStat(_ path: String) -> stat? {
    var st = stat()
    return lstat(path, &st) == 0 ? st : nil
}

/// An xattr of a path (not followed), hex, or nil; read with python3.
func layerXattr(_ path: String, _ key: String) throws -> String? {
    let script = "import os,sys\ntry: print(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).hex())\nexcept OSError: print('-')"
    let out = String(decoding: try layerRun(["/usr/bin/python3", "-c", script, path, key]), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    return out == "-" ? nil : out
}

/// Sets an xattr (not followed) with python3.
func layerSetXattr(_ path: String, _ key: String, _ hex: String) throws {
    let script = "import os,sys\nos.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), follow_symlinks=False)"
    try layerRun(["/usr/bin/python3", "-c", script, path, key, hex])
}

/// "sha256:" + sha256sum of a file.
func layerSha256(_ path: String) throws -> String {
    "sha256:" + String(try layerShell("sha256sum '\(path)'").prefix(64))
}

/// Applies a tar file with an applier, returning the result.
@discardableResult
func layerApplyFile(_ tar: String, to dir: String, mode: LayerApplyMode) throws -> LayerApplyResult {
    try LayerApplier().apply(layerAt: tar, to: dir, mode: mode)
}

/// Every entry of a tree (path, type, mode, owner, mtime ns for non-dirs, content
/// hash, link target, rdev, xattrs, hard-link group), one line each, via python3.
func layerTreeManifest(_ root: String) throws -> [String] {
    let script = """
    import hashlib, os, stat, sys
    root = sys.argv[1]; seen = {}; out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for n in sorted(dirs + files):
            p = os.path.join(d, n); r = os.path.relpath(p, root); s = os.lstat(p)
            line = [r, oct(s.st_mode), str(s.st_uid), str(s.st_gid)]
            if not stat.S_ISDIR(s.st_mode): line.append(str(s.st_mtime_ns))
            if stat.S_ISREG(s.st_mode):
                line.append(hashlib.sha256(open(p, 'rb').read()).hexdigest())
                if s.st_nlink > 1: line.append('group=' + seen.setdefault(s.st_ino, r))
            if stat.S_ISLNK(s.st_mode): line.append(os.readlink(p))
            if stat.S_ISCHR(s.st_mode) or stat.S_ISBLK(s.st_mode): line.append(str(s.st_rdev))
            for k in sorted(os.listxattr(p, follow_symlinks=False)):
                line.append(k + '=' + os.getxattr(p, k, follow_symlinks=False).hex())
            out.append(' '.join(line))
    print('\\n'.join(sorted(out)))
    """
    return String(decoding: try layerRun(["/usr/bin/python3", "-c", script, root]), as: UTF8.self)
        .split(separator: "\n").map(String.init)
}
