// docker-py 7 (pip install docker; scripts/setup installs it) against berthd: each group of
// python/docker_py_e2e.py runs as `python3 docker_py_e2e.py <socket> <group>` and every
// `FAIL group.check: …` line it prints becomes an issue here.
import Foundation
import Testing

/// The python directory beside this file.
let pythonDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python").path

/// Whether `python3` can import docker-py 7.
let dockerPyAvailable: Bool = {
    let r = runCommand(["python3", "-c", "import docker, sys; sys.exit(0 if docker.__version__.startswith('7.') else 1)"], timeout: 30)
    return r.status == 0
}()

extension EngineE2E {
    @Suite("docker-py 7", .enabled(if: dockerPyAvailable, "docker-py 7 is not installed: python3 -m pip install 'docker>=7,<8'"))
    struct DockerPy {
        @Test(arguments: ["system", "run", "exec", "lifecycle", "volumes", "events", "archive"])
        func group(_ group: String) throws {
            let d = try currentDaemon()
            let r = runCommand(["python3", pythonDirectory + "/docker_py_e2e.py", d.socket, group],
                               environment: d.environment, timeout: 120)
            #expect(!r.timedOut, "docker-py group \(group) timed out: \(r)")
            let failures = r.lines.filter { $0.hasPrefix("FAIL ") }
            for failure in failures {
                Issue.record(Comment(rawValue: "docker-py \(failure.dropFirst(5))"))
            }
            #expect(r.lines.contains { $0.hasPrefix("ok \(group).") }, "no check ran: \(r)")
            #expect(r.status == 0 || !failures.isEmpty, "docker_py_e2e.py \(group) failed without a FAIL line: \(r)")
        }
    }
}
