import Testing
#if canImport(Glibc)
import Glibc
#endif

/// berth-shim end to end: each test spawns real shims that run real containers through
/// berth-runtime, so the suite needs root (namespaces, mounts, cgroups) and the binaries
/// built in the same scratch path as the tests. Serialized: the machine is small and the
/// timing-sensitive checks (output order, memory) should not compete with each other.
@Suite(.serialized, .enabled(if: getuid() == 0, "berth-shim tests run containers: they need root"))
struct ShimTests {}
