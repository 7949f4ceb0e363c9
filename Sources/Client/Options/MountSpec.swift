import DockerAPI

/// `-v`, `--mount` and `--tmpfs` values turned into create-request fields.
public enum MountSpec {
    /// What one `-v` value becomes: a bind (or named volume) in `Binds`, or an
    /// anonymous volume in `Config.Volumes`.
    public enum Volume: Equatable, Sendable {
        case bind(String)
        case anonymous(String)
    }

    /// `-v [src:]dst[:opts]`.
    public static func parseVolume(_ text: String) throws -> Volume {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let invalid = FlagError("invalid volume specification: '\(text)'")
        switch parts.count {
        case 1:
            guard parts[0].hasPrefix("/") else { throw FlagError("invalid volume specification: '\(text)': invalid mount config for type \"volume\": invalid mount path: '\(text)' mount path must be absolute") }
            return .anonymous(parts[0])
        case 2, 3:
            guard !parts[0].isEmpty, !parts[1].isEmpty else { throw invalid }
            guard parts[1].hasPrefix("/") else {
                throw FlagError("invalid volume specification: '\(text)': invalid mount config for type \"\(parts[0].hasPrefix("/") ? "bind" : "volume")\": invalid mount path: '\(parts[1])' mount path must be absolute")
            }
            if parts.count == 3 {
                let allowed: Set<String> = ["ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate", "copy"]
                for mode in parts[2].split(separator: ",") where !allowed.contains(String(mode)) {
                    throw FlagError("invalid mode: \(parts[2])")
                }
            }
            return .bind(text)
        default:
            throw invalid
        }
    }

    /// `--mount type=bind,source=…,target=…,readonly` (docker's CSV syntax).
    public static func parseMount(_ text: String) throws -> Mount {
        var mount = Mount(type: "volume")
        for field in text.split(separator: ",") {
            let kv = field.split(separator: "=", maxSplits: 1).map(String.init)
            let key = kv[0].lowercased()
            let value = kv.count > 1 ? kv[1] : nil
            func bool() throws -> Bool {
                guard let value else { return true }
                switch value.lowercased() {
                case "1", "true": return true
                case "0", "false": return false
                default: throw FlagError("invalid value for \(key): \(value)")
                }
            }
            func required() throws -> String {
                guard let value else { throw FlagError("invalid field '\(field)' must be a key=value pair") }
                return value
            }
            switch key {
            case "type": mount.type = try required()
            case "source", "src": mount.source = try required()
            case "target", "destination", "dst": mount.target = try required()
            case "readonly", "ro": mount.readOnly = try bool()
            case "consistency": mount.consistency = try required()
            case "bind-propagation":
                var options = mount.bindOptions ?? Mount.BindOptions()
                options.propagation = try required(); mount.bindOptions = options
            case "bind-nonrecursive":
                var options = mount.bindOptions ?? Mount.BindOptions()
                options.nonRecursive = try bool(); mount.bindOptions = options
            case "volume-nocopy":
                var options = mount.volumeOptions ?? Mount.VolumeOptions()
                options.noCopy = try bool(); mount.volumeOptions = options
            case "volume-subpath":
                var options = mount.volumeOptions ?? Mount.VolumeOptions()
                options.subpath = try required(); mount.volumeOptions = options
            case "volume-label":
                var options = mount.volumeOptions ?? Mount.VolumeOptions()
                let pair = try required().split(separator: "=", maxSplits: 1).map(String.init)
                options.labels = (options.labels ?? [:]).merging([pair[0]: pair.count > 1 ? pair[1] : ""]) { $1 }
                mount.volumeOptions = options
            case "tmpfs-size":
                var options = mount.tmpfsOptions ?? Mount.TmpfsOptions()
                do { options.sizeBytes = try HumanUnits.ramInBytes(try required()) }
                catch let error as HumanUnits.SizeError { throw FlagError("invalid value for \(key): \(error)") }
                mount.tmpfsOptions = options
            case "tmpfs-mode":
                var options = mount.tmpfsOptions ?? Mount.TmpfsOptions()
                guard let mode = UInt32(try required(), radix: 8) else { throw FlagError("invalid value for \(key): \(value ?? "")") }
                options.mode = mode; mount.tmpfsOptions = options
            default:
                throw FlagError("unexpected key '\(key)' in '\(field)'")
            }
        }
        guard let target = mount.target, !target.isEmpty else { throw FlagError("target is required") }
        _ = target
        if mount.type == "bind", mount.source?.isEmpty ?? true { throw FlagError("source is required when specifying bind mount") }
        if mount.type == "tmpfs", mount.source != nil { throw FlagError("source is not supported for tmpfs mounts") }
        return mount
    }

    /// `--tmpfs /run[:opts]` → (`/run`, `opts`).
    public static func parseTmpfs(_ text: String) throws -> (String, String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let path = parts.first, path.hasPrefix("/") else {
            throw FlagError("invalid tmpfs specification: '\(text)': mount path must be absolute")
        }
        return (path, parts.count > 1 ? parts[1] : "")
    }
}
