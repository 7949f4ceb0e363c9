import ArgumentParser
import Client
import DockerAPI
import Foundation

/// The flags of `images` / `image ls`.
struct ImagesOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Show all images (default hides intermediate images)") var all = false
    @Flag(name: .shortAndLong, help: "Only show image IDs") var quiet = false
    @Flag(help: "Show digests") var digests = false
    @Flag(name: .customLong("no-trunc"), help: "Don't truncate output") var noTrunc = false
    @Option(name: .shortAndLong, help: "Filter output based on conditions provided") var filter: [String] = []
    @Option(help: "Format output using a custom template") var format: String?
    @Argument var repository: String?
}

/// Lists images as `docker images` does.
func listImages(_ o: ImagesOptions) throws {
    let client = try connectClient()
    var filters = try parseFilters(o.filter)
    if let repository = o.repository { filters.append(("reference", repository)) }
    let images = try client.listImages(all: o.all, digests: o.digests, filters: filters)
    let now = Date()
    let rows = images.flatMap { ImageRows.rows($0, truncate: !o.noTrunc, now: now) }
    if o.quiet && o.format == nil {
        try printList(rows, format: "{{.ID}}", headers: ImageRows.headers)
        return
    }
    let showDigests = o.digests
    try printList(rows, format: resolveFormat(o.format, default: ImageRows.defaultFormat(digests: showDigests)),
                  headers: ImageRows.headers, typeName: "*formatter.imageContext")
}

/// `berth images`.
struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images", abstract: "List images", usage: "berth images [OPTIONS] [REPOSITORY[:TAG]]")
    @OptionGroup var options: ImagesOptions
    func run() throws { try listImages(options) }
}

/// `berth image …`.
struct ImageGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Manage images", usage: "berth image COMMAND",
        subcommands: [
            ImageLsCommand.self, ImageInspectCommand.self, ImageRmCommand.self, TagCommand.self, HistoryCommand.self,
            ImportCommand.self, LoadCommand.self, SaveCommand.self, ImagePruneCommand.self, ImagePullCommand.self,
            ImagePushCommand.self,
        ])
}

/// `berth image ls`.
struct ImageLsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List images", usage: "berth image ls [OPTIONS] [REPOSITORY[:TAG]]", aliases: ["list"])
    @OptionGroup var options: ImagesOptions
    func run() throws { try listImages(options) }
}

/// `berth image inspect`.
struct ImageInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Display detailed information on one or more images",
        usage: "berth image inspect [OPTIONS] IMAGE [IMAGE...]")
    @Option(name: .shortAndLong, help: "Format output using a custom template") var format: String?
    @Argument var images: [String] = []

    func run() throws {
        let client = try connectClient()
        try inspectObjects(images, format: format) { name in
            try client.inspectImageRaw(name)
        }
    }
}

/// The work of `rmi` / `image rm`.
func removeImages(_ images: [String], force: Bool, noPrune: Bool) throws {
    guard !images.isEmpty else { throw UsageError.atLeast(1, "berth rmi") }
    let client = try connectClient()
    try forEachTarget(images) { image in
        for item in try client.removeImage(image, force: force, noPrune: noPrune) {
            if let untagged = item.untagged { out("Untagged: \(untagged)") }
            if let deleted = item.deleted { out("Deleted: \(deleted)") }
        }
    }
}

/// `berth rmi`.
struct RmiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rmi", abstract: "Remove one or more images", usage: "berth rmi [OPTIONS] IMAGE [IMAGE...]")
    @Flag(name: .shortAndLong, help: "Force removal of the image") var force = false
    @Flag(name: .customLong("no-prune"), help: "Do not delete untagged parents") var noPrune = false
    @Argument var images: [String] = []
    func run() throws { try removeImages(images, force: force, noPrune: noPrune) }
}

/// `berth image rm`.
struct ImageRmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove one or more images", usage: "berth image rm [OPTIONS] IMAGE [IMAGE...]",
        aliases: ["remove", "rmi"])
    @Flag(name: .shortAndLong, help: "Force removal of the image") var force = false
    @Flag(name: .customLong("no-prune"), help: "Do not delete untagged parents") var noPrune = false
    @Argument var images: [String] = []
    func run() throws { try removeImages(images, force: force, noPrune: noPrune) }
}

/// `berth tag`.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        usage: "berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]")
    @Argument var source: String
    @Argument var target: String

    func run() throws {
        let client = try connectClient()
        let (repo, tag) = splitRepoTag(target)
        try client.tagImage(source, repo: repo, tag: tag)
    }
}

/// `berth history`.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show the history of an image", usage: "berth history [OPTIONS] IMAGE")
    @Flag(name: [.customShort("H"), .long], inversion: .prefixedNo, help: "Print sizes and dates in human readable format") var human = true
    @Flag(name: .customLong("no-trunc"), help: "Don't truncate output") var noTrunc = false
    @Flag(name: .shortAndLong, help: "Only show image IDs") var quiet = false
    @Option(help: "Format output using a custom template") var format: String?
    @Argument var image: String

    func run() throws {
        let client = try connectClient()
        let now = Date()
        let rows = try client.history(image).map { HistoryRows.row($0, truncate: !noTrunc, human: human, now: now) }
        if quiet && format == nil {
            try printList(rows, format: "{{.ID}}", headers: HistoryRows.headers)
            return
        }
        try printList(rows, format: resolveFormat(format, default: HistoryRows.defaultFormat(human: human)),
                      headers: HistoryRows.headers)
    }
}

/// `berth load`.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load an image from a tar archive or STDIN", usage: "berth load [OPTIONS]")
    @Option(name: .shortAndLong, help: "Read from tar archive file, instead of STDIN") var input: String?
    @Flag(name: .shortAndLong, help: "Suppress the load output") var quiet = false

    func run() throws {
        if input == nil, RawTerminal.isTerminal(0) {
            throw CLIExit(1, "requested load from stdin, but stdin is empty")
        }
        let fd = try openInput(input)
        let client = try connectClient()
        let response = try client.loadImages(fd: fd, quiet: quiet)
        try printJSONMessages(response.body)
    }
}

/// `berth save`.
struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Save one or more images to a tar archive (streamed to STDOUT by default)",
        usage: "berth save [OPTIONS] IMAGE [IMAGE...]")
    @Option(name: .shortAndLong, help: "Write to a file, instead of STDOUT") var output: String?
    @Argument var images: [String] = []

    func run() throws {
        guard !images.isEmpty else { throw UsageError.atLeast(1, "berth save") }
        let fd = try openOutput(output, what: "images")
        let client = try connectClient()
        let response = try client.saveImages(images)
        try copyBody(response.body, to: fd)
        if fd != 1 { close(fd) }
    }
}

/// `berth import`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import the contents from a tarball to create a filesystem image",
        usage: "berth import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]")
    @Option(name: .shortAndLong, help: "Apply Dockerfile instruction to the created image") var change: [String] = []
    @Option(name: .shortAndLong, help: "Set commit message for imported image") var message: String?
    @Option(help: "Set platform if server is multi-platform capable") var platform: String?
    @Argument var source: String
    @Argument var reference: String?

    func run() throws {
        let fd = try openInput(source)
        let client = try connectClient()
        var repo: String? = nil, tag: String? = nil
        if let reference { (repo, tag) = splitRepoTag(reference) }
        let response = try client.importImage(fd: fd, repo: repo, tag: tag, message: message, changes: change, platform: platform)
        try printJSONMessages(response.body)
    }
}

/// `berth image pull`.
struct ImagePullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Download an image from a registry", usage: "berth image pull [OPTIONS] NAME[:TAG|@DIGEST]")
    @Option(help: "Set platform if server is multi-platform capable") var platform: String?
    @Flag(name: .shortAndLong, help: "Suppress verbose output") var quiet = false
    @Argument var image: String

    func run() throws { try pullImage(image, platform: platform, quiet: quiet) }
}

/// `berth image prune`.
struct ImagePruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove unused images", usage: "berth image prune [OPTIONS]")
    @Flag(name: .shortAndLong, help: "Remove all unused images, not just dangling ones") var all = false
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation") var force = false
    @Option(help: "Provide filter values (e.g. \"until=<timestamp>\")") var filter: [String] = []

    func run() throws {
        let warning = all ? "WARNING! This will remove all images without at least one container associated to them."
            : "WARNING! This will remove all dangling images."
        if !force, !confirm(warning) { return }
        let client = try connectClient()
        var filters = try parseFilters(filter)
        filters.append(("dangling", all ? "false" : "true"))
        let result = try client.pruneImages(filters: filters)
        printImagePrune(result)
        out("Total reclaimed space: \(HumanUnits.size(Double(result.spaceReclaimed)))")
    }
}

/// The `Deleted Images:` block of the prune commands.
func printImagePrune(_ result: ImagePruneResponse) {
    guard let items = result.imagesDeleted, !items.isEmpty else { return }
    out("Deleted Images:")
    for item in items {
        if let untagged = item.untagged { out("untagged: \(untagged)") }
        if let deleted = item.deleted { out("deleted: \(deleted)") }
    }
    out("")
}
