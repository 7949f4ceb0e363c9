// ingest, import, load, save, base-image: ContentStore and ImageStore under --root.
import ArgumentParser
import Glibc
import ImageStore
import OCI

/// `ingest FILE --root STORE`: stores a file's bytes as a blob; prints its digest.
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Store a file as a blob in the content store.")

    @Argument(help: "The file to store.") var file: String
    @Option(help: "The store's root directory.") var root: String
    @Option(help: "The digest the bytes must have (sha256:… or sha512:…).") var digest: String?

    func run() throws {
        try reportingErrors {
            let expected = try digest.map { try Digest(parsing: $0) }
            let store = try ContentStore(root: root)
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw LayerError.system(operation: "open", path: file, errno: errno) }
            defer { close(fd) }
            print(try store.ingest(expected: expected, fileDescriptor: fd).digest.string)
        }
    }
}

/// `import TARBALL REF --root STORE`: a rootfs tarball as a one-layer image (`docker import`).
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import a root filesystem tarball as a one-layer image.")

    @Argument(help: "The tarball (plain, gzip or zstd).") var tarball: String
    @Argument(help: "The name to give the image.") var reference: String
    @Option(help: "The store's root directory.") var root: String

    func run() throws {
        try reportingErrors {
            let ref = try ImageReference(parsing: reference)
            let store = try ImageStore(root: root)
            print(try store.importRootfs(tarballAt: tarball, reference: ref).string)
        }
    }
}

/// `load ARCHIVE --root STORE`: `docker load` of a docker-archive, OCI archive or layout.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load images from a docker-archive, an OCI archive or an OCI layout.")

    @Argument(help: "The archive or layout directory.") var archive: String
    @Option(help: "The store's root directory.") var root: String

    func run() throws {
        try reportingErrors {
            let store = try ImageStore(root: root)
            for image in try store.load(from: archive) {
                print(([image.target.digest.string] + image.names).joined(separator: " "))
            }
        }
    }
}

/// `save REF OUT --root STORE`: writes an image as an OCI layout, OCI archive or docker-archive.
struct Save: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Save an image as an OCI layout, an OCI archive or a docker-archive.")

    /// The output formats by their command-line names.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case oci, ociArchive = "oci-archive", docker
    }

    @Argument(help: "The image (name or digest).") var reference: String
    @Argument(help: "The output path (must not exist).") var output: String
    @Option(help: "The store's root directory.") var root: String
    @Option(help: "oci (layout directory), oci-archive or docker.") var format: Format = .docker

    func run() throws {
        try reportingErrors {
            let store = try ImageStore(root: root)
            let saveFormat: SaveFormat
            switch format {
            case .oci: saveFormat = .ociLayout
            case .ociArchive: saveFormat = .ociArchive
            case .docker: saveFormat = .dockerArchive
            }
            try store.save([reference], to: output, format: saveFormat)
        }
    }
}

/// `base-image --root STORE`: the local busybox image; prints its manifest digest.
struct BaseImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base-image", abstract: "Create the local busybox base image from /bin/busybox.")

    @Option(help: "The store's root directory.") var root: String

    func run() throws {
        try reportingErrors {
            let store = try ImageStore(root: root)
            print(try BaseImage.busybox(in: store).string)
        }
    }
}
