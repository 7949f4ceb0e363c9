import DockerAPI
import Foundation

extension Engine {
    /// `POST /volumes/create`: the named volume, made if missing (docker returns the existing one).
    public func createVolume(name requested: String?, labels: [String: String] = [:], driver: String? = nil,
                             options: [String: String] = [:], anonymous: Bool = false) throws(EngineError) -> VolumeRecord {
        if let driver, !driver.isEmpty, driver != "local" {
            throw EngineError(.notFound, "plugin \"\(driver)\" not found")
        }
        let name = requested.flatMap { $0.isEmpty ? nil : $0 } ?? ContainerNames.newID()
        guard ContainerNames.matchesNameRule(name) else {
            throw EngineError.invalid("create \(name): \"\(name)\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")
        }
        if let existing = volumes[name] { return existing }
        let record = VolumeRecord(name: name, created: .now(), labels: labels, options: options, anonymous: anonymous)
        do {
            try FileManager.default.createDirectory(atPath: volumePath(name), withIntermediateDirectories: true)
            try database.saveVolume(record)
        } catch {
            throw EngineError.system("creating volume \(name): \(error)")
        }
        volumes[name] = record
        publish(type: "volume", action: "create", id: name, attributes: ["driver": "local"])
        return record
    }

    /// The data directory of volume `name`.
    nonisolated public func volumePath(_ name: String) -> String {
        configuration.volumesDirectory + "/" + name + "/_data"
    }

    /// Bytes used by volume `name`.
    public func volumeSize(_ name: String) -> Int64 { DiskUsage.size(of: volumePath(name)) }

    public func allVolumes() -> [VolumeRecord] { Array(volumes.values) }

    public func volume(_ name: String) throws(EngineError) -> VolumeRecord {
        guard let v = volumes[name] else { throw EngineError(.notFound, "get \(name): no such volume") }
        return v
    }

    /// Names of containers that mount volume `name`.
    public func containersUsing(volume name: String) -> [String] { volumeUsers(name) }

    func volumeUsers(_ name: String) -> [String] {
        containers.values.filter { $0.mounts.contains { $0.type == "volume" && $0.name == name } }.map(\.id)
    }

    /// `DELETE /volumes/{name}`: refused while a container uses it (docker's 409).
    public func removeVolume(_ name: String, force: Bool = false) throws(EngineError) {
        guard volumes[name] != nil else {
            if force { return }
            throw EngineError(.notFound, "get \(name): no such volume")
        }
        let users = volumeUsers(name)
        if !users.isEmpty {
            throw EngineError(.conflict, "remove \(name): volume is in use - [\(users.joined(separator: ", "))]")
        }
        do {
            try database.deleteVolume(name)
            try? FileManager.default.removeItem(atPath: configuration.volumesDirectory + "/" + name)
        } catch {
            throw EngineError.system("removing volume \(name): \(error)")
        }
        volumes[name] = nil
        publish(type: "volume", action: "destroy", id: name, attributes: ["driver": "local"])
    }

    /// `POST /volumes/prune`: unused volumes (anonymous only unless `all`, as docker ≥ 23).
    public func pruneVolumes(all: Bool, labelFilter: (([String: String]) -> Bool)? = nil) -> (removed: [String], space: Int64) {
        var removed: [String] = []
        var space: Int64 = 0
        for volume in volumes.values where volumeUsers(volume.name).isEmpty {
            if !all && !volume.anonymous { continue }
            if let labelFilter, !labelFilter(volume.labels) { continue }
            let size = DiskUsage.size(of: volumePath(volume.name))
            if (try? removeVolume(volume.name)) != nil { removed.append(volume.name); space += size }
        }
        return (removed, space)
    }

    /// Turns `Binds`, `Mounts`, `Tmpfs` and the image's `VOLUME`s into the container's mount points,
    /// creating named and anonymous volumes as needed.
    func prepareVolumes(_ record: inout ContainerRecord, imageVolumes: [String]) throws(EngineError) {
        var points: [MountPoint] = []
        func add(_ point: MountPoint) throws(EngineError) {
            guard point.destination.hasPrefix("/") else {
                throw EngineError.invalid("invalid mount config: mount path must be absolute: \(point.destination)")
            }
            if points.contains(where: { $0.destination == point.destination }) {
                throw EngineError.invalid("Duplicate mount point: \(point.destination)")
            }
            points.append(point)
        }
        for bind in record.hostConfig.binds ?? [] {
            let parts = bind.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 1, parts.count <= 3, !parts[0].isEmpty else {
                throw EngineError.invalid("invalid volume specification: '\(bind)'")
            }
            if parts.count == 1 {
                let volume = try createVolume(name: nil, anonymous: true)
                record.anonymousVolumes.append(volume.name)
                try add(MountPoint(type: "volume", name: volume.name, source: volumePath(volume.name), destination: parts[0], driver: "local", mode: "", rw: true))
                continue
            }
            let mode = parts.count == 3 ? parts[2] : ""
            let modes = mode.split(separator: ",").map(String.init)
            for m in modes where !["ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate"].contains(m) {
                throw EngineError.invalid("invalid mode: \(m)")
            }
            let readOnly = modes.contains("ro")
            let propagation = modes.first { $0.hasSuffix("shared") || $0.hasSuffix("slave") || $0.hasSuffix("private") } ?? "rprivate"
            if parts[0].hasPrefix("/") {
                guard FileManager.default.fileExists(atPath: parts[0]) else {
                    // docker creates a missing bind source directory for -v (not for --mount).
                    do { try FileManager.default.createDirectory(atPath: parts[0], withIntermediateDirectories: true) } catch {
                        throw EngineError.invalid("invalid mount config: bind source path cannot be created: \(parts[0])")
                    }
                    try add(MountPoint(type: "bind", source: parts[0], destination: parts[1], mode: mode, rw: !readOnly, propagation: propagation))
                    continue
                }
                try add(MountPoint(type: "bind", source: parts[0], destination: parts[1], mode: mode, rw: !readOnly, propagation: propagation))
            } else {
                let volume = try createVolume(name: parts[0])
                try add(MountPoint(type: "volume", name: volume.name, source: volumePath(volume.name), destination: parts[1], driver: "local", mode: mode.isEmpty ? "z" : mode, rw: !readOnly))
            }
        }
        for mount in record.hostConfig.mounts ?? [] {
            guard let target = mount.target, !target.isEmpty else { throw EngineError.invalid("invalid mount config: Target must not be empty") }
            switch mount.type ?? "volume" {
            case "bind":
                guard let source = mount.source, source.hasPrefix("/") else {
                    throw EngineError.invalid("invalid mount config for type \"bind\": invalid mount path: '\(mount.source ?? "")' mount path must be absolute")
                }
                guard FileManager.default.fileExists(atPath: source) else {
                    throw EngineError.invalid("invalid mount config for type \"bind\": bind source path does not exist: \(source)")
                }
                try add(MountPoint(type: "bind", source: source, destination: target, mode: "", rw: mount.readOnly != true,
                                   propagation: mount.bindOptions?.propagation ?? "rprivate"))
            case "volume":
                let volume = try createVolume(name: mount.source, labels: mount.volumeOptions?.labels ?? [:], anonymous: (mount.source ?? "").isEmpty)
                if (mount.source ?? "").isEmpty { record.anonymousVolumes.append(volume.name) }
                try add(MountPoint(type: "volume", name: volume.name, source: volumePath(volume.name), destination: target, driver: "local", mode: "z", rw: mount.readOnly != true))
            case "tmpfs":
                var options: [String] = []
                if let size = mount.tmpfsOptions?.sizeBytes { options.append("size=\(size)") }
                if let mode = mount.tmpfsOptions?.mode { options.append("mode=" + String(mode, radix: 8)) }
                var tmpfs = record.hostConfig.tmpfs ?? [:]
                tmpfs[target] = options.joined(separator: ",")
                record.hostConfig.tmpfs = tmpfs
            case let other:
                throw EngineError.invalid("invalid mount config: mount type unknown: \"\(other)\"")
            }
        }
        for path in imageVolumes where !points.contains(where: { $0.destination == path }) && record.hostConfig.tmpfs?[path] == nil {
            let volume = try createVolume(name: nil, anonymous: true)
            record.anonymousVolumes.append(volume.name)
            try add(MountPoint(type: "volume", name: volume.name, source: volumePath(volume.name), destination: path, driver: "local", mode: "", rw: true))
        }
        record.mounts = points
    }
}

/// Bytes in a directory tree as docker counts them: the sizes of its files and links
/// (directories and whiteouts count nothing), each hard-linked file once.
enum DiskUsage {
    static func size(of path: String) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        var seen = Set<UInt64>()
        while let item = walker.nextObject() as? String {
            var st = stat()
            guard lstat(path + "/" + item, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            guard kind == S_IFREG || kind == S_IFLNK else { continue }
            if st.st_nlink > 1 && !seen.insert(UInt64(st.st_ino)).inserted { continue }
            total += Int64(st.st_size)
        }
        return total
    }
}
