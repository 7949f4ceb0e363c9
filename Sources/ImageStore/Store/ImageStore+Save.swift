import Foundation
import OCI

/// How `save` writes images.
public enum SaveFormat: Sendable, Equatable {
    /// An OCI image layout directory (`oci-layout`, `index.json`, `blobs/`).
    case ociLayout
    /// A tar of an OCI image layout.
    case ociArchive
    /// A `docker save` tarball as Docker ≥ 25 writes it: the OCI layout plus `manifest.json` and
    /// `repositories`, so both older and newer docker versions load it.
    case dockerArchive
}

/// `docker save` and writing OCI layouts.
extension ImageStore {
    /// Writes the images `references` (names or digests) to `path` in `format`. Blobs are streamed
    /// from the content store. index.json lists each name with `io.containerd.image.name` (the full
    /// name) and `org.opencontainers.image.ref.name` (its tag). An index is written whole when all its
    /// blobs are here, otherwise the manifest for the store's platform is written instead. The output
    /// appears at `path` only when complete; `path` must not exist (an empty directory is replaced).
    public func save(_ references: [String], to path: String, format: SaveFormat) throws {
        if let st = StoreFS.lstat(path), !((st.st_mode & S_IFMT) == S_IFDIR && ((try? StoreFS.list(path)) ?? ["x"]).isEmpty) {
            throw TransferError.destinationExists(path: path)
        }
        var entries: [Descriptor] = []
        var blobs: [Descriptor] = []
        var dockerEntries: [DockerArchiveManifestEntry] = []
        var repositories: DockerArchiveRepositories = [:]
        func addBlob(_ descriptor: Descriptor) {
            if !blobs.contains(where: { $0.digest == descriptor.digest }) { blobs.append(descriptor) }
        }
        for reference in references {
            let record = try record(for: reference)
            let image = try resolve(record: record)
            var target = image.manifestDescriptor
            if record.target.digest != image.manifestDescriptor.digest, let indexBlobs = try completeIndexBlobs(record.target) {
                target = record.target
                indexBlobs.forEach(addBlob)
            } else {
                addBlob(image.manifestDescriptor)
                addBlob(image.manifest.config)
                image.layers.forEach(addBlob)
            }
            var annotations: [String: String]? = nil
            var repoTags: [String] = []
            if let name = record.name, let parsed = try? ImageReference(parsing: name) {
                annotations = [ImageAnnotation.containerdImageName: parsed.string]
                if let tag = parsed.tag {
                    annotations?[ImageAnnotation.refName] = tag
                    repoTags = [parsed.familiarName + ":" + tag]
                    repositories[parsed.familiarName, default: [:]][tag] = image.id.encoded
                }
            }
            entries.append(Descriptor(mediaType: target.mediaType, digest: target.digest, size: target.size, annotations: annotations))
            let configPath = OCILayout.blobPath(for: image.manifest.config.digest)
            let layerPaths = image.layers.map { OCILayout.blobPath(for: $0.digest) }
            if let at = dockerEntries.firstIndex(where: { $0.config == configPath && $0.layers == layerPaths }) {
                dockerEntries[at].repoTags += repoTags
            } else {
                dockerEntries.append(DockerArchiveManifestEntry(config: configPath, repoTags: repoTags, layers: layerPaths))
            }
        }
        let sink: any ExportSink = format == .ociLayout ? try DirectorySink(target: path) : try TarSink(target: path)
        do {
            try sink.addFile(OCILayout.fileName, bytes: Array(try JSONEncoder().encode(OCILayout())))
            for blob in blobs {
                try sink.addBlob(OCILayout.blobPath(for: blob.digest), reader: try content.reader(for: blob.digest))
            }
            try sink.addFile(OCILayout.indexFileName, bytes: Array(try Index(manifests: entries).encoded()))
            if format == .dockerArchive {
                try sink.addFile("manifest.json", bytes: Array(try DockerArchiveManifestEntry.encodeList(dockerEntries)))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                try sink.addFile("repositories", bytes: Array(try encoder.encode(repositories)))
            }
            try sink.finish()
        } catch {
            sink.abort()
            throw error
        }
    }

    /// Every blob index `descriptor` leads to (itself, nested indexes, manifests, configs, layers),
    /// or nil when one of them is not in the content store.
    private func completeIndexBlobs(_ descriptor: Descriptor, depth: Int = 0) throws -> [Descriptor]? {
        guard depth < 4, content.exists(descriptor.digest) else { return nil }
        let bytes = try content.read(descriptor.digest)
        guard let document = try? ManifestOrIndex.decode(data: Data(bytes), mediaType: descriptor.mediaType) else { return nil }
        var result = [descriptor]
        switch document {
        case .index(let index):
            for child in index.manifests {
                guard let blobs = try completeIndexBlobs(child, depth: depth + 1) else { return nil }
                result += blobs
            }
        case .manifest(let manifest):
            for blob in [manifest.config] + manifest.layers {
                guard content.exists(blob.digest) else { return nil }
                result.append(blob)
            }
        }
        return result
    }
}
