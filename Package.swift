// swift-tools-version:6.0
import PackageDescription

/// Berth: a container engine and orchestrator for Linux.
/// Targets follow docs/architecture.md; lower rows never import higher rows.
let package = Package(
    name: "Berth",
    products: [
        .executable(name: "berth-runtime", targets: ["berth-runtime"]),
        .executable(name: "berth-store", targets: ["berth-store"]),
        .executable(name: "berth-shim", targets: ["berth-shim"]),
        .executable(name: "berthd", targets: ["berthd"]),
        .executable(name: "berth", targets: ["berth"]),
        .executable(name: "berth-registry", targets: ["berth-registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // Codable types of the OCI specs. No I/O.
        .target(name: "OCI"),
        // The code between clone() and execve(): async-signal-safe C, no allocation.
        .target(name: "CRuntime"),
        // libseccomp from Debian (libseccomp-dev), used to compile filters before clone().
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        // cgroups v1, v2 and hybrid hosts behind one type.
        .target(name: "Cgroups", dependencies: ["OCI", "CRuntime"]),
        // linux.seccomp → a BPF program, compiled with libseccomp in the parent.
        .target(name: "Seccomp", dependencies: ["OCI", "CSeccomp"]),
        // OCI bundle → running container: plan in Swift, act in CRuntime.
        .target(name: "Runtime", dependencies: ["OCI", "CRuntime", "Cgroups", "Seccomp"]),
        // libarchive from Debian (libarchive-dev): tar, gzip, zstd.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // Content store, image metadata (SQLite), layers, overlay snapshots, import/export.
        .target(
            name: "ImageStore",
            dependencies: [
                "OCI", "CArchive", "CRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "berth-runtime",
            dependencies: [
                "Runtime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A container start is a hot path: a fully static executable skips the
            // dynamic loader and its relocations (~2.5 ms of every invocation).
            linkerSettings: [.unsafeFlags(["-static-executable", "-Xlinker", "-l_FoundationCShims", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-lswiftSynchronization"])]
        ),
        // A thin door into ImageStore for benchmarks and fault tests (until berthd exists).
        .executableTarget(
            name: "berth-store",
            dependencies: ["ImageStore", "OCI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Container networking: network definitions, CNI conflists and plugin calls (spec 1.0),
        // network namespaces, IPAM leases, published ports, hosts/resolv.conf files.
        .target(name: "Networking", dependencies: ["OCI", "CRuntime", .product(name: "Logging", package: "swift-log")]),
        // The builder's pure half: Dockerfile parser (AST with lines), variable expansion, typed
        // instructions, stages and the plan, config effects, .dockerignore. No I/O beyond reading text.
        .target(name: "DockerfileCore", dependencies: ["OCI"]),
        // The build cache and executor (RUN steps go through a protocol the engine implements).
        .target(
            name: "Build",
            dependencies: ["DockerfileCore", "OCI", "ImageStore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Registry client: auth challenges, pull/push with progress, credentials.
        .target(
            name: "Distribution",
            dependencies: [
                "OCI", "ImageStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // OCI Distribution server: routes, content-addressed storage, auth, gc.
        .target(
            name: "RegistryServer",
            dependencies: [
                "OCI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "berth-registry",
            dependencies: ["RegistryServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Codable models of the Docker Engine API (requests and responses). No I/O.
        .target(name: "DockerAPI"),
        // The daemon's domain: containers, images, volumes, events, shims; state in SQLite.
        .target(
            name: "Engine",
            dependencies: [
                "OCI", "DockerAPI", "ImageStore", "Cgroups", "CRuntime", "Runtime",
                "Networking", "Build", "Distribution",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Docker Engine API over HTTP/1.1 on a unix socket: routes, streams, hijack.
        .target(
            name: "EngineAPI",
            dependencies: [
                "Engine", "DockerAPI", "Distribution",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Typed Engine API client over a unix socket (the CLI and tests use it).
        .target(name: "Client", dependencies: ["DockerAPI"]),
        .executableTarget(
            name: "berthd",
            dependencies: [
                "EngineAPI", "Engine", "Distribution",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "berth",
            dependencies: ["Client", "DockerAPI", "DockerfileCore", "RunFlags", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Crypto", package: "swift-crypto")],
            // Every `berth run` pays the CLI's start: a fully static executable (no dynamic loader,
            // no relocation of ~30 shared objects) starts in ~1 ms instead of ~11. It needs no
            // libarchive or SQLite since DockerfileCore; libstdc++ last, for ICU's C++.
            linkerSettings: [.unsafeFlags(["-static-executable", "-Xlinker", "-lCoreFoundation", "-Xlinker", "-l_FoundationICU", "-Xlinker", "-l_FoundationCShims", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-lswiftSynchronization", "-Xlinker", "-lstdc++"])]
        ),
        // `run`/`create` flags: docker's, as ArgumentParser's definition (help, errors) and as a
        // reflection-free reader of plain command lines (the fast path of every `berth run`).
        .target(name: "RunFlags", dependencies: ["Client", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // One per container: holds stdio/pty, writes the log, reaps, records the exit.
        // No Foundation, no NIO: it must stay under 4 MB resident.
        .executableTarget(
            name: "berth-shim",
            linkerSettings: [.unsafeFlags(["-static-executable"])]
        ),
        .testTarget(name: "OCITests", dependencies: ["OCI"]),
        .testTarget(name: "CgroupTests", dependencies: ["Cgroups", "OCI"]),
        .testTarget(name: "SeccompTests", dependencies: ["Seccomp", "OCI"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "OCI"]),
        .testTarget(name: "ImageStoreTests", dependencies: ["ImageStore", "OCI"]),
        .testTarget(name: "DockerAPITests", dependencies: ["DockerAPI"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "DockerAPI", "OCI"]),
        .testTarget(name: "ShimTests", dependencies: []),
        .testTarget(name: "EngineE2ETests", dependencies: ["Client", "DockerAPI"]),
        .testTarget(name: "ClientTests", dependencies: ["Client", "DockerAPI"]),
        .testTarget(name: "RunFlagsTests", dependencies: ["RunFlags", "Client", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "EngineAPITests", dependencies: ["EngineAPI", "Engine", "DockerAPI"]),
        .testTarget(name: "NetworkingTests", dependencies: ["Networking", "OCI"]),
        .testTarget(name: "BuildTests", dependencies: ["Build", "DockerfileCore", "OCI"]),
        .testTarget(name: "DistributionTests", dependencies: ["Distribution", "OCI"]),
        .testTarget(
            name: "RegistryServerTests",
            dependencies: [
                "RegistryServer", "OCI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
