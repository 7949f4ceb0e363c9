// Module ImageStore: content store, image metadata, layers, snapshots, import/export.
