import Foundation
import OCI
import Testing
@testable import RegistryServer

/// Runs a command (off the concurrency pool), returning its exit status and combined output.
private func run(_ arguments: [String]) async throws -> (Int32, String) {
    let result = try await runProcess("/usr/bin/env", arguments)
    return (result.status, result.output + result.errors)
}

private var skopeoInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/skopeo") }

@Suite(.serialized) struct SkopeoInteropTests {
    /// skopeo copies an OCI layout to berth-registry and back; the manifest and every blob keep their digests.
    @Test(.enabled(if: skopeoInstalled)) func skopeoCopiesToTheRegistryAndBack() async throws {
        try await withRegistry { registry in
            var script = URL(fileURLWithPath: #filePath)
            for _ in 0..<3 { script.deleteLastPathComponent() }
            script.appendPathComponent("bench/registry/make-image.py")
            let layout = registry.root + "/layout"
            let (made, madeOutput) = try await run(["python3", script.path, layout, "4", "2"])
            #expect(made == 0, "\(madeOutput)")
            let manifestDigest = madeOutput.trimmingCharacters(in: .whitespacesAndNewlines)

            let target = "docker://127.0.0.1:\(registry.port)/interop/image:v1"
            let (pushed, pushOutput) = try await run(["skopeo", "copy", "--dest-tls-verify=false", "oci:\(layout):latest", target])
            #expect(pushed == 0, "\(pushOutput)")
            let head = try await registry.send(.HEAD, "/v2/interop/image/manifests/v1")
            #expect(head.header("Docker-Content-Digest") == manifestDigest)

            let back = registry.root + "/back"
            let (pulled, pullOutput) = try await run(["skopeo", "copy", "--src-tls-verify=false", target, "oci:\(back):latest"])
            #expect(pulled == 0, "\(pullOutput)")
            let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: URL(fileURLWithPath: back + "/index.json")))
            #expect(index.manifests.first?.digest.string == manifestDigest)
            let original = Set(try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256"))
            let copied = Set(try FileManager.default.contentsOfDirectory(atPath: back + "/blobs/sha256"))
            #expect(original == copied)
            for name in copied {
                #expect(try DigestingWriter.hashFile(back + "/blobs/sha256/" + name, algorithm: .sha256).encoded == name)
            }
        }
    }
}
