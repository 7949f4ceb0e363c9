import Foundation
import Glibc
import OCI

/// Unpacking an image's layers into snapshots, and a container's root filesystem over them.
extension ImageStore {
    /// Makes sure every layer of `image` is a committed snapshot; returns the chain IDs, top first.
    /// A layer whose snapshot exists is skipped, so unpacking is idempotent; two unpacks of the same
    /// image at once each apply into their own active snapshot and the second commit keeps the first.
    /// A layer whose unpacked diff ID differs from the config's is refused and leaves no snapshot.
    @discardableResult
    public func unpack(_ image: ResolvedImage) throws -> [Digest] {
        let chainIDs = image.chainIDs
        for (index, layer) in image.layers.enumerated() where !snapshots.exists(chainID: chainIDs[index]) {
            let parent = index == 0 ? nil : chainIDs[index - 1]
            try unpackLayer(layer, diffID: image.diffIDs[index], chainID: chainIDs[index], parent: parent)
        }
        return chainIDs.reversed()
    }

    func unpackLayer(_ layer: Descriptor, diffID: Digest, chainID: Digest, parent: Digest?) throws {
        guard let compression = LayerCompression(mediaType: MediaType.base(layer.mediaType)) else {
            throw ImageStoreError.unsupportedLayer(layer: layer.digest, mediaType: layer.mediaType)
        }
        guard content.exists(layer.digest) else {
            throw ImageStoreError.blobMissing(layer.digest, role: "layer with diff ID \(diffID)")
        }
        let key = "unpack/\(chainID.encoded)/\(StoreFS.randomHex(8))"
        let active = try snapshots.prepare(key: key, parent: parent)
        do {
            // applyFresh publishes the directory only when the whole layer applied.
            try StoreFS.removeTree(active.fs)
            let result = try LayerApplier().applyFresh(
                layerAt: content.path(for: layer.digest), compression: compression,
                into: active.fs, parent: active.lowerDirectories)
            guard result.diffID == diffID.string else {
                let actual = (try? Digest(parsing: result.diffID)) ?? diffID
                throw ImageStoreError.diffIDMismatch(layer: layer.digest, expected: diffID, actual: actual)
            }
            try snapshots.commit(key: key, as: chainID)
        } catch {
            try? snapshots.removeActive(key: key)
            throw error
        }
        let size = (try? snapshots.usage(chainID: chainID)) ?? 0
        try metadata.putSnapshot(SnapshotRecord(chainID: chainID, parent: parent, size: size))
    }

    /// `root/containers/<id>`, after checking `id` cannot name another place.
    public func containerDirectory(_ containerID: String) throws(ImageStoreError) -> String {
        let allowed = containerID.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        guard allowed, !containerID.isEmpty, containerID != ".", containerID != "..", containerID.utf8.count <= 128 else {
            throw ImageStoreError.invalidContainerID(containerID)
        }
        return containersDirectory + "/" + containerID
    }

    /// Unpacks `image` if needed and mounts a writable root for container `containerID` at `target`
    /// (an existing directory): its layers below, `root/containers/<id>/upper` (and `work`) above.
    /// The container then references the image, so `remove` refuses it and `gc` keeps it.
    public func mountRootFS(image: ResolvedImage, containerID: String, target: String) throws {
        let directory = try containerDirectory(containerID)
        let chain = try unpack(image)
        if mkdir(directory, 0o700) != 0 {
            if errno == EEXIST { throw ImageStoreError.containerExists(containerID) }
            throw ImageStoreError.system(operation: "mkdir", path: directory, errno: errno)
        }
        do {
            try StoreFS.makeDirectories(directory + "/upper", mode: 0o755)
            try StoreFS.makeDirectories(directory + "/work", mode: 0o700)
            try metadata.addReference(kind: .container, id: containerID, target: image.target.digest)
            if image.manifestDescriptor.digest != image.target.digest {
                try metadata.addReference(kind: .container, id: containerID, target: image.manifestDescriptor.digest)
            }
            if let top = chain.first { try metadata.addReference(kind: .container, id: containerID, target: top) }
            try ContainerRootFS(snapshots: snapshots).mount(
                lowerChain: chain, upper: directory + "/upper", work: directory + "/work", target: target)
        } catch {
            _ = try? metadata.removeReference(kind: .container, id: containerID)
            try? StoreFS.removeTree(directory)
            throw error
        }
    }

    /// Mounts again the writable root container `containerID` already has (its upper directory
    /// kept from an earlier run) at `target`; makes a new one when it has none.
    public func remountRootFS(image: ResolvedImage, containerID: String, target: String) throws {
        let directory = try containerDirectory(containerID)
        guard StoreFS.exists(directory + "/upper") else {
            return try mountRootFS(image: image, containerID: containerID, target: target)
        }
        if ContainerRootFS.isMounted(target) { return }
        let chain = try unpack(image)
        try StoreFS.makeDirectories(directory + "/work", mode: 0o700)
        try ContainerRootFS(snapshots: snapshots).mount(
            lowerChain: chain, upper: directory + "/upper", work: directory + "/work", target: target)
    }

    /// Unmounts container `containerID`'s root at `target`, deletes its upper and work directories
    /// and drops its references to the image.
    public func unmountRootFS(containerID: String, target: String) throws {
        let directory = try containerDirectory(containerID)
        try ContainerRootFS.unmount(target)
        if StoreFS.exists(directory) { try StoreFS.removeTree(directory) }
        try metadata.removeReference(kind: .container, id: containerID)
    }
}
