import Runtime

/// The runtime operations the engine needs outside a shim (delete, kill, pause, resume). With
/// berth-runtime they run in-process through the `Runtime` library — a container exit then
/// costs no extra process — and any other runtime (runc) is run as a command.
struct RuntimeCalls: Sendable {
    let configuration: EngineConfiguration

    private var inProcess: OCIRuntime? {
        configuration.runtimePath.hasSuffix("/berth-runtime") || configuration.runtimePath == "berth-runtime"
            ? OCIRuntime(root: configuration.runtimeRoot) : nil
    }

    /// Blocking: call from `Blocking`.
    func delete(_ id: String) {
        if let runtime = inProcess { try? runtime.delete(id, force: true); return }
        _ = try? command(["delete", "--force", id])
    }

    func killAll(_ id: String, signal: Int32) {
        if let runtime = inProcess { try? runtime.kill(id, signal: signal, all: true); return }
        _ = try? command(["kill", "--all", id, String(signal)])
    }

    /// pause/resume; the error text when it fails.
    func freeze(_ id: String, pause: Bool) -> String? {
        if let runtime = inProcess {
            do { if pause { try runtime.pause(id) } else { try runtime.resume(id) } } catch { return "\(error)" }
            return nil
        }
        let result = try? command([pause ? "pause" : "resume", id])
        guard let result else { return "cannot run \(configuration.runtimePath)" }
        return result.succeeded ? nil : result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `<runtime> --root <runtime root> <arguments>`, run to completion.
    private func command(_ arguments: [String]) throws(EngineError) -> ChildProcess.Result {
        try ChildProcess.run([configuration.runtimePath, "--root", configuration.runtimeRoot] + arguments)
    }
}
