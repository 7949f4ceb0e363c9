// apply-layer and diff-layer: LayerApplier and LayerDiffer on plain directories.
import ArgumentParser
import Glibc
import ImageStore

/// `apply-layer LAYER DIR`: unpacks a layer blob onto a directory; prints the diffID.
struct ApplyLayer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply-layer", abstract: "Apply a layer (tar, tar+gzip, tar+zstd) onto a directory.")

    @Argument(help: "The layer blob.") var layer: String
    @Argument(help: "The directory to apply it onto.") var directory: String
    @Flag(help: "Whiteouts delete for real (the directory holds the lower contents) instead of becoming overlay whiteouts.")
    var flattened = false

    func run() throws {
        try reportingErrors {
            let mode: LayerApplyMode = flattened ? .flattened : .overlay(lowerDirs: [])
            let result = try LayerApplier().apply(layerAt: layer, to: directory, mode: mode)
            print(result.diffID)
        }
    }
}

/// `diff-layer DIR OUT`: writes the layer of a tree (against `--lower`, or whole); prints digest, diffID, size.
struct DiffLayer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff-layer", abstract: "Write a directory's changes (against --lower, or all of it) as a layer.")

    @Argument(help: "The changed tree.") var directory: String
    @Argument(help: "The layer file to create.") var output: String
    @Option(help: "The tree below; without it every entry of DIR is an addition.") var lower: String?
    @Flag(help: "Compress with gzip.") var gzip = false
    @Flag(help: "Compress with zstd.") var zstd = false
    @Option(name: .customLong("source-date-epoch"), help: "Clamp mtimes to at most this time (seconds since the epoch).")
    var sourceDateEpoch: Int64?

    func validate() throws {
        if gzip && zstd { throw ValidationError("--gzip and --zstd exclude each other") }
    }

    func run() throws {
        try reportingErrors {
            let compression: LayerCompression = gzip ? .gzip : zstd ? .zstd : .none
            // With no lower tree, compare against an empty directory: every entry is added.
            var emptyLower: String?
            defer { if let emptyLower { rmdir(emptyLower) } }
            let lowerPath: String
            if let lower {
                lowerPath = lower
            } else {
                var template = Array("/tmp/berth-store-empty-XXXXXX".utf8CString)
                guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
                    throw LayerError.system(operation: "mkdtemp", path: "/tmp", errno: errno)
                }
                lowerPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
                emptyLower = lowerPath
            }
            let result = try LayerDiffer().diff(
                .compare(directory: directory, lower: lowerPath), toFileAt: output,
                compression: compression, sourceDateEpoch: sourceDateEpoch)
            print("digest: \(result.digest)")
            print("diffID: \(result.diffID)")
            print("size: \(result.size)")
        }
    }
}
