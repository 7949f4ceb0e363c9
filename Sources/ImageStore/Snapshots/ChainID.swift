import OCI

/// Chain IDs of the OCI image spec: the identity of a stack of layers, used to name snapshots.
/// `chainID(L0) = diffID(L0)`, `chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln))`.
public enum ChainID {
    /// The chain ID of every prefix of `diffIDs` (base first): element n names layers 0...n.
    public static func compute(diffIDs: [Digest]) -> [Digest] {
        var result: [Digest] = []
        result.reserveCapacity(diffIDs.count)
        for diffID in diffIDs {
            result.append(next(parent: result.last, diffID: diffID))
        }
        return result
    }

    /// The chain ID of the whole stack `diffIDs` (base first); nil for no layers.
    public static func top(diffIDs: [Digest]) -> Digest? {
        compute(diffIDs: diffIDs).last
    }

    /// The chain ID of layer `diffID` applied on the stack named `parent` (nil for a base layer).
    public static func next(parent: Digest?, diffID: Digest) -> Digest {
        guard let parent else { return diffID }
        return Digester.digest(of: Array("\(parent.string) \(diffID.string)".utf8))
    }
}
