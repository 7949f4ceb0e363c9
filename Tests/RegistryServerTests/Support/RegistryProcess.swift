import Foundation

/// A `berth-registry serve` child process (the built executable beside the test bundle).
final class RegistryProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let logPath: String

    /// The built `berth-registry`, found beside the test binary.
    static func executable() throws -> String {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent)
        }
        let bundle = Bundle.main.bundleURL.resolvingSymlinksInPath()
        candidates += [bundle.path, bundle.deletingLastPathComponent().path]
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates += [argv0.deletingLastPathComponent().path, argv0.deletingLastPathComponent().deletingLastPathComponent().path]
        for directory in candidates where FileManager.default.isExecutableFile(atPath: directory + "/berth-registry") {
            return directory + "/berth-registry"
        }
        throw TestFailure("berth-registry not built next to the tests (looked in \(candidates))")
    }

    /// Starts `berth-registry serve --root root` on a free port and waits until it listens.
    init(root: String, logPath: String) async throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = ["serve", "--addr", "127.0.0.1:0", "--root", root]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = log
        process.standardOutput = log
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil && Date() < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"port=(\d+)"#, options: .regularExpression) {
                found = Int(text[range].dropFirst(5))
            }
        }
        guard let found else {
            process.terminate()
            throw TestFailure("berth-registry did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
        }
        port = found
    }

    /// SIGKILL, then reap.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then reap.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
