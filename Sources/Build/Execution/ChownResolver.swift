import Glibc

/// `--chown` and `--chmod` of COPY/ADD resolved against the destination image, as docker's legacy
/// builder does: `user[:group]`, each a number or a name looked up in the image's /etc/passwd and
/// /etc/group; with no group the user's text is used for the group too (`--chown=55` is 55:55).
public enum ChownResolver {
    /// The ownership for `chown`/`chmod` (nil: defaults) in the image root readable at `view`.
    /// `defaultOwner` is what copied files get without `--chown` (0:0 from the context, nil to keep).
    public static func ownership(chown: String?, chmod: String?, view: String, defaultOwner: (UInt32, UInt32)?) throws(CopyError) -> CopyOwnership {
        var mode: mode_t?
        if let chmod, !chmod.isEmpty {
            guard let bits = UInt32(chmod, radix: 8), bits <= 0o7777 else { throw .badMode(chmod) }
            mode = mode_t(bits)
        }
        guard let chown, !chown.isEmpty else {
            return CopyOwnership(uid: defaultOwner?.0, gid: defaultOwner?.1, mode: mode)
        }
        let parts = chown.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userText = parts[0]
        let groupText = parts.count > 1 ? parts[1] : parts[0]
        let uid: UInt32
        if let number = UInt32(userText) { uid = number } else {
            guard let entry = lookup(userText, file: "/etc/passwd", view: view) else {
                throw .unknownOwner("can't find uid for user \(userText): no such user: \(userText)")
            }
            uid = entry
        }
        let gid: UInt32
        if let number = UInt32(groupText) { gid = number } else {
            guard let entry = lookup(groupText, file: "/etc/group", view: view) else {
                throw .unknownOwner("can't find gid for group \(groupText): no such group: \(groupText)")
            }
            gid = entry
        }
        return CopyOwnership(uid: uid, gid: gid, mode: mode)
    }

    /// The id (third field) of `name` in `file` (passwd or group format) of the image.
    static func lookup(_ name: String, file: String, view: String) -> UInt32? {
        guard let parts = try? ScopedPath.resolve(file, in: view, followFinal: true, refuseEscape: false) else { return nil }
        guard let text = readSmallFile(ScopedPath.join(view, parts)) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count >= 3, fields[0] == name, let id = UInt32(fields[2]) { return id }
        }
        return nil
    }

    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 4 << 20 {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
