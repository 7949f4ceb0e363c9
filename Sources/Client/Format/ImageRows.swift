import DockerAPI
import Foundation

/// The fields `images --format` offers, one row per repository:tag as docker lists them.
public enum ImageRows {
    public static let headers: [String: String] = [
        "ID": "IMAGE ID", "Repository": "REPOSITORY", "Tag": "TAG", "Digest": "DIGEST", "CreatedSince": "CREATED",
        "CreatedAt": "CREATED AT", "Size": "SIZE", "Containers": "CONTAINERS", "VirtualSize": "VIRTUAL SIZE",
        "SharedSize": "SHARED SIZE", "UniqueSize": "UNIQUE SIZE",
    ]

    /// docker's default `images` table.
    public static func defaultFormat(digests: Bool) -> String {
        "table {{.Repository}}\t{{.Tag}}" + (digests ? "\t{{.Digest}}" : "") + "\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    }

    /// The rows of one image: per tag, then digests of untagged repositories, or one `<none>` row.
    public static func rows(_ image: ImageSummary, truncate: Bool, now: Date = Date()) -> [TemplateValue] {
        var entries: [(repo: String, tag: String, digest: String)] = []
        var digestsByRepo: [String: String] = [:]
        for reference in image.repoDigests {
            let parts = Display.splitReference(reference)
            if let digest = parts.digest, digestsByRepo[parts.repo] == nil { digestsByRepo[parts.repo] = digest }
        }
        var taggedRepos = Set<String>()
        for reference in image.repoTags {
            let parts = Display.splitReference(reference)
            if parts.repo == "<none>" { continue }
            taggedRepos.insert(parts.repo)
            entries.append((parts.repo, parts.tag ?? "<none>", digestsByRepo[parts.repo] ?? "<none>"))
        }
        for reference in image.repoDigests {
            let parts = Display.splitReference(reference)
            if !taggedRepos.contains(parts.repo), let digest = parts.digest {
                entries.append((parts.repo, "<none>", digest)); taggedRepos.insert(parts.repo)
            }
        }
        if entries.isEmpty { entries = [("<none>", "<none>", "<none>")] }
        let size = HumanUnits.size(Double(image.size), precision: 3)
        let shared = image.sharedSize < 0 ? "N/A" : HumanUnits.size(Double(image.sharedSize), precision: 3)
        let unique = image.sharedSize < 0 ? "N/A" : HumanUnits.size(Double(image.size - image.sharedSize), precision: 3)
        return entries.map { entry in
            .object([
                "ID": .string(truncate ? Display.shortID(image.id) : image.id),
                "Repository": .string(entry.repo), "Tag": .string(entry.tag), "Digest": .string(entry.digest),
                "CreatedSince": .string(image.created > 0 ? HumanUnits.ago(unixTime: image.created, now: now) : "N/A"),
                "CreatedAt": .string(Display.goTimeString(unix: image.created)),
                "Size": .string(size), "VirtualSize": .string(size), "SharedSize": .string(shared), "UniqueSize": .string(unique),
                "Containers": .string(image.containers < 0 ? "N/A" : String(image.containers)),
            ])
        }
    }
}

/// The fields of `history --format`.
public enum HistoryRows {
    public static let headers: [String: String] = [
        "ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY",
        "Size": "SIZE", "Comment": "COMMENT",
    ]

    /// docker's default `history` table.
    public static func defaultFormat(human: Bool) -> String {
        "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
    }

    public static func row(_ item: HistoryItem, truncate: Bool, human: Bool, now: Date = Date()) -> TemplateValue {
        let id = item.id.hasPrefix("<") || !truncate ? item.id : Display.shortID(item.id)
        var createdBy = item.createdBy.replacingOccurrences(of: "\t", with: " ")
        if truncate { createdBy = Display.ellipsis(createdBy, 45) }
        return .object([
            "ID": .string(id),
            "CreatedSince": .string(human ? HumanUnits.ago(unixTime: item.created, now: now) : Display.goTimeString(unix: item.created)),
            "CreatedAt": .string(Display.goTimeString(unix: item.created)),
            "CreatedBy": .string(createdBy),
            "Size": .string(human ? HumanUnits.size(Double(item.size), precision: 3) : String(item.size)),
            "Comment": .string(item.comment),
        ])
    }
}

/// The fields of `volume ls --format`.
public enum VolumeRows {
    public static let headers: [String: String] = [
        "Name": "VOLUME NAME", "Driver": "DRIVER", "Scope": "SCOPE", "Mountpoint": "MOUNTPOINT", "Labels": "LABELS",
        "Links": "LINKS", "Size": "SIZE",
    ]

    public static let defaultFormat = "table {{.Driver}}\t{{.Name}}"

    public static func row(_ volume: Volume) -> TemplateValue {
        .object([
            "Name": .string(volume.name), "Driver": .string(volume.driver), "Scope": .string(volume.scope),
            "Mountpoint": .string(volume.mountpoint),
            "Labels": .string(volume.labels.keys.sorted().map { "\($0)=\(volume.labels[$0]!)" }.joined(separator: ",")),
            "Links": .string(volume.usageData.map { $0.refCount < 0 ? "N/A" : String($0.refCount) } ?? "N/A"),
            "Size": .string(volume.usageData.map { $0.size < 0 ? "N/A" : HumanUnits.size(Double($0.size)) } ?? "N/A"),
        ])
    }
}
