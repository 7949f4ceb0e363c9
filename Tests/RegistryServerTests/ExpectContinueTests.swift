import Foundation
import Testing
@testable import RegistryServer

private var curlInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") }

@Suite struct ExpectContinueTests {
    /// A client that sends `Expect: 100-continue` gets `100 Continue` before it sends the body.
    @Test(.enabled(if: curlInstalled)) func expectContinueIsAnswered() async throws {
        try await withRegistry { registry in
            let bytes = TestRegistry.randomBytes(2_000)
            let file = registry.root + "/body.bin"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let result = try await runProcess("/usr/bin/curl", [
                "-sv", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: 100-continue", "--data-binary", "@" + file,
                "\(registry.base)/v2/expect/blobs/uploads/?digest=\(TestRegistry.sha256(bytes))"])
            let status = result.output
            let trace = result.errors
            #expect(status == "201")
            #expect(trace.contains("HTTP/1.1 100 Continue"))
        }
    }
}
