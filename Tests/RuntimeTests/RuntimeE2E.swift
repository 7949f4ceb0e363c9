import Testing

/// End-to-end tests of the OCI runtime CLI (runc's command surface).
///
/// They drive the binary named by `BERTH_RUNTIME`, else the `berth-runtime` built beside
/// the test runner, and assert what the container process sees from the inside.
/// Validate against runc with:
/// `BERTH_RUNTIME=$(which runc) swift test --scratch-path .build-e2e --filter RuntimeTests`.
/// Serialized: they share the host's cgroups, mount table and netns list.
@Suite(.serialized, .enabled(if: runningAsRoot, rootOnlyReason))
struct RuntimeE2E {}
