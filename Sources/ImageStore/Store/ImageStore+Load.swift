import Foundation
import OCI

/// `docker load` and loading OCI layouts: one entry point that recognises the format.
extension ImageStore {
    /// Loads the images at `path`: an OCI image layout directory, a tar of one, or a docker-archive
    /// (`docker save` output, legacy `<id>/layer.tar` or Docker ≥ 25's OCI layout with `manifest.json`;
    /// the tar may be gzip/zstd/xz-compressed). Every blob's digest and size and every layer's diff ID
    /// are checked before anything is recorded; a failed load adds no blob and names nothing.
    /// `defaultRepository` names layout entries whose `ref.name` is only a tag.
    @discardableResult
    public func load(from path: String, defaultRepository: String? = nil) throws -> [LoadedImage] {
        var st = stat()
        guard stat(path, &st) == 0 else { throw TransferError.system(operation: "stat", path: path, errno: errno) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            return try load(source: DirectorySource(root: path), path: path, defaultRepository: defaultRepository)
        }
        let archive = try ExtractedArchive(archiveAt: path, tempParent: root + "/tmp")
        defer { archive.remove() }
        return try load(source: archive, path: path, defaultRepository: defaultRepository)
    }

    private func load(source: any LoadSource, path: String, defaultRepository: String?) throws -> [LoadedImage] {
        var entries: [DockerArchiveManifestEntry] = []
        if let file = source.file("manifest.json") {
            do {
                entries = try DockerArchiveManifestEntry.decodeList(from: Data(try TransferFS.read(file)))
            } catch let error as ImageError {
                throw TransferError.invalidDocument(name: "manifest.json", reason: error.description)
            }
        }
        let isLayout = source.file(OCILayout.indexFileName) != nil
        guard isLayout || source.file("manifest.json") != nil else { throw TransferError.unknownFormat(path: path) }
        return try writeLock.withLock {
            let loader = ImageLoader(store: self, source: source, defaultRepository: defaultRepository)
            do {
                if isLayout {
                    try loader.loadOCILayout(dockerEntries: entries)
                } else {
                    try loader.loadDockerArchive(entries: entries)
                }
                return try loader.commit()
            } catch {
                loader.rollback()
                throw error
            }
        }
    }
}
