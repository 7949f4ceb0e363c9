import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth system …`.
struct SystemGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "Manage Berth", usage: "berth system COMMAND",
        subcommands: [SystemDfCommand.self, SystemPruneCommand.self, InfoCommand.self, EventsCommand.self])
}

/// `berth version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Show the Berth version information", usage: "berth version [OPTIONS]")
    @Option(name: .shortAndLong, help: "Format output using a custom template") var format: String?

    func run() throws {
        let address = try DaemonAddress.resolve(flag: nil)
        var client: BerthClient? = nil
        var server: SystemVersion? = nil
        var failure: Error? = nil
        do {
            client = try BerthClient.connect(to: address)
            server = try client!.version()
        } catch { failure = error }
        let negotiated = client?.apiVersion ?? BerthClient.maxAPIVersion
        if let format, !format.isEmpty {
            var clientInfo: [String: TemplateValue] = [
                "Version": .string(berthCLIVersion), "ApiVersion": .string(negotiated),
                "DefaultAPIVersion": .string(BerthClient.maxAPIVersion), "Os": .string("linux"), "Arch": .string(goArch),
            ]
            clientInfo["Platform"] = .object(["Name": .string("Berth")])
            var root: [String: TemplateValue] = ["Client": .object(TemplateObject(clientInfo))]
            if let server { root["Server"] = try TemplateValue(encoding: server) }
            do { out(try GoTemplate(format).render(.object(TemplateObject(root)))) } catch { throw CLIExit(1, "\(error)") }
            if let failure { throw failure }
            return
        }
        var text = "Client:\n"
        let apiLine = negotiated == BerthClient.maxAPIVersion ? negotiated : "\(negotiated) (downgraded from \(BerthClient.maxAPIVersion))"
        text += field(" ", "Version", berthCLIVersion) + field(" ", "API version", apiLine)
        text += field(" ", "OS/Arch", "linux/\(goArch)")
        text += field(" ", "Context", "default")
        out(text)
        guard let server else { throw failure ?? CLIExit(1) }
        var s = "Server:" + (server.platform.map { $0.name.isEmpty ? "" : " " + $0.name } ?? "") + "\n"
        let components = server.components ?? [SystemVersion.Component(name: "Engine", version: server.version)]
        for component in components {
            s += " \(component.name):\n"
            if component.name == "Engine" {
                s += field("  ", "Version", server.version)
                s += field("  ", "API version", "\(server.apiVersion) (minimum version \(server.minAPIVersion ?? ""))")
                if let go = server.goVersion, !go.isEmpty { s += field("  ", "Go version", go) }
                s += field("  ", "Git commit", server.gitCommit ?? "")
                s += field("  ", "Built", ansiTime(server.buildTime ?? ""))
                s += field("  ", "OS/Arch", "\(server.os ?? "")/\(server.arch ?? "")")
                s += field("  ", "Experimental", String(server.experimental ?? false))
            } else {
                s += field("  ", "Version", component.version)
                for key in (component.details ?? [:]).keys.sorted() {
                    s += field("  ", key, component.details![key]!)
                }
            }
        }
        outRaw(s)
    }

    /// `Key:` padded to 18 columns after the indent, like docker's tabwriter output.
    func field(_ indent: String, _ key: String, _ value: String) -> String {
        let label = key + ":"
        return indent + label + String(repeating: " ", count: max(1, 20 - indent.count - label.count)) + value + "\n"
    }
}

/// Go's GOARCH name of this machine.
let goArch: String = {
    #if arch(x86_64)
    return "amd64"
    #elseif arch(arm64)
    return "arm64"
    #else
    return "unknown"
    #endif
}()

/// RFC 3339 → Go's `time.ANSIC` (`Mon Jan  2 15:04:05 2006`), as docker prints build times.
func ansiTime(_ text: String) -> String {
    guard let seconds = Display.parseRFC3339(text) else { return text }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
    let date = Date(timeIntervalSince1970: seconds)
    var result = formatter.string(from: date)
    // ANSIC pads the day with a space to two columns.
    let day = Calendar.current.component(.day, from: date)
    if day < 10, let range = result.range(of: " \(day) ") { result.replaceSubrange(range, with: "  \(day) ") }
    return result
}

/// `berth info` / `berth system info`.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Display system-wide information", usage: "berth info [OPTIONS]")
    @Option(name: .shortAndLong, help: "Format output using a custom template") var format: String?

    func run() throws {
        let client = try connectClient()
        let info = try client.info()
        if let format, !format.isEmpty {
            let value = try TemplateValue(encoding: info)
            do { out(try GoTemplate(format == "json" ? "{{json .}}" : format).render(value)) } catch { throw CLIExit(1, "\(error)") }
            return
        }
        var s = "Client:\n Version:    \(berthCLIVersion)\n Context:    default\n Debug Mode: \(getenv("BERTH_DEBUG") != nil)\n\nServer:\n"
        func line(_ indent: String, _ key: String, _ value: String?) { if let value { s += "\(indent)\(key): \(value)\n" } }
        line(" ", "Containers", info.containers.map(String.init))
        line("  ", "Running", info.containersRunning.map(String.init))
        line("  ", "Paused", info.containersPaused.map(String.init))
        line("  ", "Stopped", info.containersStopped.map(String.init))
        line(" ", "Images", info.images.map(String.init))
        line(" ", "Server Version", info.serverVersion)
        line(" ", "Storage Driver", info.driver)
        for pair in info.driverStatus ?? [] where pair.count == 2 { line("  ", pair[0], pair[1]) }
        line(" ", "Logging Driver", info.loggingDriver)
        line(" ", "Cgroup Driver", info.cgroupDriver)
        line(" ", "Cgroup Version", info.cgroupVersion)
        if let plugins = info.plugins {
            s += " Plugins:\n"
            line("  ", "Volume", plugins.volume?.joined(separator: " "))
            line("  ", "Network", plugins.network?.joined(separator: " "))
            if let auth = plugins.authorization, !auth.isEmpty { line("  ", "Authorization", auth.joined(separator: " ")) }
            line("  ", "Log", plugins.log?.joined(separator: " "))
        }
        if let runtimes = info.runtimes { line(" ", "Runtimes", runtimes.keys.sorted().joined(separator: " ")) }
        line(" ", "Default Runtime", info.defaultRuntime)
        line(" ", "Init Binary", info.initBinary)
        if let options = info.securityOptions, !options.isEmpty {
            s += " Security Options:\n"
            for option in options {
                let parts = option.split(separator: ",")
                for part in parts {
                    let kv = part.split(separator: "=", maxSplits: 1)
                    if kv.first == "name" { s += "  \(kv.count > 1 ? kv[1] : "")\n" } else if kv.count == 2 {
                        s += "   \(kv[0].prefix(1).uppercased() + kv[0].dropFirst()): \(kv[1])\n"
                    }
                }
            }
        }
        line(" ", "Kernel Version", info.kernelVersion)
        line(" ", "Operating System", info.operatingSystem)
        line(" ", "OSType", info.osType)
        line(" ", "Architecture", info.architecture)
        line(" ", "CPUs", info.ncpu.map(String.init))
        line(" ", "Total Memory", info.memTotal.map { HumanUnits.binarySize(Double($0)) })
        line(" ", "Name", info.name)
        line(" ", "ID", info.id)
        line(" ", "Docker Root Dir", info.dockerRootDir)
        line(" ", "Debug Mode", info.debug.map { String($0) })
        line(" ", "Experimental", info.experimentalBuild.map { String($0) })
        if let labels = info.labels, !labels.isEmpty { s += " Labels:\n" + labels.map { "  \($0)\n" }.joined() }
        line(" ", "Live Restore Enabled", info.liveRestoreEnabled.map { String($0) })
        out(s)
        for warning in info.warnings ?? [] { err(warning) }
    }
}

/// `berth system df`.
struct SystemDfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "df", abstract: "Show docker disk usage", usage: "berth system df [OPTIONS]")
    @Flag(name: .shortAndLong, help: "Show detailed information on space usage") var verbose = false
    @Option(help: "Format output using a custom template") var format: String?

    func run() throws {
        let client = try connectClient()
        let usage = try client.diskUsage()
        func size(_ v: Int64) -> String { HumanUnits.size(Double(v)) }
        func reclaim(_ r: Int64, _ total: Int64) -> String { total > 0 ? "\(size(r)) (\(r * 100 / total)%)" : size(r) }
        var usedByImages: Int64 = 0
        for image in usage.images where image.containers > 0 && image.size >= 0 && image.sharedSize >= 0 {
            usedByImages += image.size - image.sharedSize
        }
        let containerTotal = usage.containers.reduce(Int64(0)) { $0 + ($1.sizeRw ?? 0) }
        let containerReclaim = usage.containers.filter { $0.state != "running" }.reduce(Int64(0)) { $0 + ($1.sizeRw ?? 0) }
        let volumeSizes = usage.volumes.compactMap { $0.usageData }.filter { $0.size >= 0 }
        let volumeTotal = volumeSizes.reduce(Int64(0)) { $0 + $1.size }
        let volumeReclaim = usage.volumes.compactMap { $0.usageData }.filter { $0.refCount == 0 && $0.size >= 0 }.reduce(Int64(0)) { $0 + $1.size }
        let cacheTotal = usage.buildCache.filter { !$0.shared }.reduce(Int64(0)) { $0 + $1.size }
        let cacheReclaim = usage.buildCache.filter { !$0.inUse && !$0.shared }.reduce(Int64(0)) { $0 + $1.size }
        func row(_ type: String, _ total: Int, _ active: Int, _ sizeText: String, _ reclaimable: String) -> TemplateValue {
            .object(["Type": .string(type), "TotalCount": .string(String(total)), "Active": .string(String(active)),
                     "Size": .string(sizeText), "Reclaimable": .string(reclaimable)])
        }
        let rows = [
            row("Images", usage.images.count, usage.images.filter { $0.containers > 0 }.count, size(usage.layersSize),
                reclaim(usage.layersSize - usedByImages, usage.layersSize)),
            row("Containers", usage.containers.count, usage.containers.filter { $0.state == "running" }.count,
                size(containerTotal), reclaim(containerReclaim, containerTotal)),
            row("Local Volumes", usage.volumes.count, usage.volumes.filter { ($0.usageData?.refCount ?? 0) > 0 }.count,
                size(volumeTotal), reclaim(volumeReclaim, volumeTotal)),
            row("Build Cache", usage.buildCache.count, usage.buildCache.filter(\.inUse).count, size(cacheTotal), size(cacheReclaim)),
        ]
        let headers = ["Type": "TYPE", "TotalCount": "TOTAL", "Active": "ACTIVE", "Size": "SIZE", "Reclaimable": "RECLAIMABLE"]
        try printList(rows, format: resolveFormat(format, default: "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}"),
                      headers: headers)
    }
}

/// `berth system prune`.
struct SystemPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove unused data", usage: "berth system prune [OPTIONS]")
    @Flag(name: .shortAndLong, help: "Remove all unused images not just dangling ones") var all = false
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation") var force = false
    @Flag(help: "Prune anonymous volumes") var volumes = false
    @Option(help: "Provide filter values (e.g. \"label=<key>=<value>\")") var filter: [String] = []

    func run() throws {
        var warning = "WARNING! This will remove:\n  - all stopped containers\n"
        if volumes { warning += "  - all anonymous volumes not used by at least one container\n" }
        warning += all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n"
        warning += "  - all build cache\n"
        if !force, !confirm(String(warning.dropLast())) { return }
        let client = try connectClient()
        let filters = try parseFilters(filter)
        var reclaimed: Int64 = 0
        let containers = try client.pruneContainers(filters: filters)
        reclaimed += containers.spaceReclaimed
        if let deleted = containers.containersDeleted, !deleted.isEmpty {
            out("Deleted Containers:"); deleted.forEach { out($0) }; out("")
        }
        if volumes {
            let result = try client.pruneVolumes(filters: filters)
            reclaimed += result.spaceReclaimed
            if let deleted = result.volumesDeleted, !deleted.isEmpty { out("Deleted Volumes:"); deleted.forEach { out($0) }; out("") }
        }
        let images = try client.pruneImages(filters: filters + [("dangling", all ? "false" : "true")])
        reclaimed += images.spaceReclaimed
        printImagePrune(images)
        // As docker's: the build cache goes too (with berthd, also the synced build contexts).
        let cache = try client.pruneBuildCache(all: all)
        reclaimed += cache.spaceReclaimed
        if !cache.cachesDeleted.isEmpty { out("Deleted build cache objects:"); cache.cachesDeleted.forEach { out($0) }; out("") }
        out("Total reclaimed space: \(HumanUnits.size(Double(reclaimed)))")
    }
}
