/// config.json mount options turned into mount(2) flags, propagation and data.
public struct MountOptions: Sendable, Equatable {
    /// MS_* flags to mount with.
    public var flags: UInt = 0
    /// Propagation to apply after mounting (MS_SHARED… with MS_REC), or 0.
    public var propagation: UInt = 0
    /// Filesystem-specific options, comma-joined, or nil.
    public var data: String?
    /// `bind` or `rbind` was given.
    public var isBind: Bool { flags & MS.bind != 0 }

    /// mount(2) flag values (linux/mount.h).
    public enum MS {
        public static let rdonly: UInt = 1, nosuid: UInt = 2, nodev: UInt = 4, noexec: UInt = 8
        public static let synchronous: UInt = 16, remount: UInt = 32, mandlock: UInt = 64, dirsync: UInt = 128
        public static let nosymfollow: UInt = 256, noatime: UInt = 1024, nodiratime: UInt = 2048
        public static let bind: UInt = 4096, move: UInt = 8192, rec: UInt = 16384, silent: UInt = 32768
        public static let unbindable: UInt = 1 << 17, `private`: UInt = 1 << 18, slave: UInt = 1 << 19
        public static let shared: UInt = 1 << 20, relatime: UInt = 1 << 21, strictatime: UInt = 1 << 24
    }

    private static let setters: [String: UInt] = [
        "ro": MS.rdonly, "nosuid": MS.nosuid, "nodev": MS.nodev, "noexec": MS.noexec,
        "sync": MS.synchronous, "remount": MS.remount, "mand": MS.mandlock, "dirsync": MS.dirsync,
        "nosymfollow": MS.nosymfollow, "noatime": MS.noatime, "nodiratime": MS.nodiratime,
        "bind": MS.bind, "rbind": MS.bind | MS.rec, "relatime": MS.relatime, "strictatime": MS.strictatime,
        "silent": MS.silent,
    ]
    private static let clearers: [String: UInt] = [
        "rw": MS.rdonly, "suid": MS.nosuid, "dev": MS.nodev, "exec": MS.noexec, "async": MS.synchronous,
        "nomand": MS.mandlock, "atime": MS.noatime, "diratime": MS.nodiratime, "norelatime": MS.relatime,
        "nostrictatime": MS.strictatime, "loud": MS.silent, "symfollow": MS.nosymfollow,
    ]
    /// Propagation option names and their flags.
    public static let propagations: [String: UInt] = [
        "private": MS.private, "rprivate": MS.private | MS.rec, "shared": MS.shared,
        "rshared": MS.shared | MS.rec, "slave": MS.slave, "rslave": MS.slave | MS.rec,
        "unbindable": MS.unbindable, "runbindable": MS.unbindable | MS.rec,
    ]
    /// Options Berth accepts and has nothing to do for.
    private static let ignored: Set<String> = ["tmpcopyup", "defaults"]

    /// Parses `options`; an option Berth cannot honour is an error naming `path`.
    public init(_ options: [String]?, path: String) throws(RuntimeError) {
        var data: [String] = []
        for (i, option) in (options ?? []).enumerated() {
            if let f = Self.setters[option] {
                flags |= f
            } else if let f = Self.clearers[option] {
                flags &= ~f
            } else if let p = Self.propagations[option] {
                propagation = p
            } else if Self.ignored.contains(option) {
                continue
            } else if ["idmap", "ridmap", "rro", "rrw", "rnosuid", "rnodev", "rnoexec"].contains(option) {
                throw .invalidConfig(path: "\(path)[\(i)]", message: "mount option \"\(option)\" is not supported")
            } else {
                data.append(option)
            }
        }
        self.data = data.isEmpty ? nil : data.joined(separator: ",")
    }
}
