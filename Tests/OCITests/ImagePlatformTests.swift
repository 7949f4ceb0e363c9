import Foundation
import Testing

@testable import OCI

private func platform(_ text: String) -> Platform { try! Platform(parsing: text) }

@Test func currentPlatformIsLinuxOnTheBuildArchitecture() {
    let current = Platform.current
    #expect(current.os == "linux")
    #if arch(x86_64)
    #expect(current.architecture == "amd64")
    #elseif arch(arm64)
    #expect(current.architecture == "arm64")
    #endif
    #expect(current.canRun(current))
}

@Test func platformsNormalizeLikeContainerd() {
    #expect(platform("linux/x86_64").normalized == platform("linux/amd64"))
    #expect(platform("linux/aarch64").normalized == platform("linux/arm64"))
    #expect(platform("linux/arm64/v8").normalized == platform("linux/arm64"))
    #expect(platform("linux/arm").normalized == platform("linux/arm/v7"))
    #expect(platform("linux/armhf").normalized == platform("linux/arm/v7"))
    #expect(platform("linux/armel").normalized == platform("linux/arm/v6"))
    #expect(platform("Linux/AMD64").normalized == platform("linux/amd64"))
    #expect(platform("linux/i386").normalized == platform("linux/386"))
    #expect(platform("linux/arm64/v8").matches(platform("linux/aarch64")))
    #expect(!platform("linux/arm/v6").matches(platform("linux/arm/v7")))
}

@Test func hostRunsSameArchitectureWithCompatibleVariant() {
    let cases: [(host: String, image: String, runs: Bool)] = [
        ("linux/amd64", "linux/amd64", true),
        ("linux/amd64", "linux/arm64", false),
        ("linux/amd64", "windows/amd64", false),
        ("linux/amd64", "linux/386", false),
        ("linux/arm64", "linux/arm64/v8", true),
        ("linux/arm64/v8", "linux/arm64", true),
        ("linux/arm64", "linux/arm/v7", false),
        ("linux/arm64/v8.2", "linux/arm64/v8", true),
        ("linux/arm64", "linux/arm64/v9", false),
        ("linux/arm/v7", "linux/arm/v6", true),
        ("linux/arm/v7", "linux/arm/v5", true),
        ("linux/arm/v6", "linux/arm/v7", false),
        ("linux/arm/v7", "linux/arm", true),
        ("linux/amd64/v3", "linux/amd64/v2", true),
        ("linux/amd64/v3", "linux/amd64", true),
        ("linux/amd64", "linux/amd64/v2", false),
        ("linux/riscv64", "linux/riscv64", true),
        ("linux/ppc64le/power9", "linux/ppc64le/power8", false),
    ]
    for test in cases {
        #expect(platform(test.host).canRun(platform(test.image)) == test.runs, "\(test.host) runs \(test.image)")
    }
}

@Test func indexPrefersTheClosestVariant() throws {
    func entry(_ n: Character, _ platform: Platform?) throws -> Descriptor {
        Descriptor(mediaType: MediaType.ociManifest, digest: try Digest(parsing: "sha256:" + String(repeating: n, count: 64)), size: 1, platform: platform)
    }
    let index = Index(manifests: [
        try entry("5", platform("linux/arm/v5")),
        try entry("1", nil),
        try entry("7", platform("linux/arm/v7")),
        try entry("6", platform("linux/arm/v6")),
        try entry("8", platform("linux/arm64")),
    ])
    let order = index.manifests(for: platform("linux/arm/v7")).map { $0.digest.encoded.first! }
    #expect(order == ["7", "6", "5", "1"])
    #expect(index.manifests(for: platform("linux/arm/v6")).map { $0.digest.encoded.first! } == ["6", "5", "1"])
}

@Test func platformParsesAndPrintsTheFlagForm() throws {
    #expect(platform("linux/arm/v7") == Platform(architecture: "arm", os: "linux", variant: "v7"))
    #expect(platform("linux/arm/v7").description == "linux/arm/v7")
    #expect(platform("linux/amd64").description == "linux/amd64")
    for bad in ["linux", "linux/", "/amd64", "linux/arm/v7/x", ""] {
        #expect(throws: ImageError.self) { try Platform(parsing: bad) }
    }
    do {
        _ = try Platform(parsing: "linux")
    } catch {
        #expect(error.description == #"invalid platform "linux": expected os/arch[/variant]"#)
    }
}

@Test func platformUsesDottedJSONKeys() throws {
    let json = #"{"architecture":"amd64","os":"windows","os.features":["win32k"],"os.version":"10.0.20348.2227"}"#
    let decoded = try JSONDecoder().decode(Platform.self, from: Data(json.utf8))
    #expect(decoded.osVersion == "10.0.20348.2227")
    #expect(decoded.osFeatures == ["win32k"])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    #expect(String(decoding: try encoder.encode(decoded), as: UTF8.self) == json)
}
