import DockerAPI
import Testing
@testable import Engine

@Suite struct TimestampTests {
    @Test func rendersDockerStyleNanoseconds() {
        #expect(Timestamp(nanoseconds: 1_764_107_673_123_456_789).rfc3339 == "2025-11-25T21:54:33.123456789Z")
        #expect(Timestamp.zero.rfc3339 == "0001-01-01T00:00:00Z")
    }

    @Test func parsesRFC3339UnixSecondsAndDurations() {
        #expect(Timestamp.parse("2025-11-25T21:54:33.5Z")?.nanoseconds == 1_764_107_673_500_000_000)
        #expect(Timestamp.parse("2025-11-25T22:54:33+01:00")?.seconds == 1_764_107_673)
        #expect(Timestamp.parse("1764107673")?.seconds == 1_764_107_673)
        let now = Timestamp(nanoseconds: 10_000_000_000_000)
        #expect(Timestamp.parse("10m", now: now)?.nanoseconds == Int64(9_400_000_000_000))
        #expect(Timestamp.parse("1h30m", now: now)?.nanoseconds == Int64(4_600_000_000_000))
        #expect(Timestamp.parse("yesterday") == nil)
    }
}

@Suite struct ContainerNameTests {
    @Test func acceptsDockerNamesAndDropsTheSlash() throws {
        #expect(try ContainerNames.validate("/web-1.a_b") == "web-1.a_b")
    }

    @Test func refusesBadNamesWithDockersMessage() {
        for bad in ["a", "-x", "x y", "ü1", ""] {
            #expect(throws: EngineError.self) { try ContainerNames.validate(bad) }
        }
        do { _ = try ContainerNames.validate("x y") } catch {
            #expect(error.message.contains("only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"))
            #expect(error.kind == .invalidParameter)
        }
    }

    @Test func generatedNamesAreUniqueAndValid() throws {
        var taken = Set<String>()
        for _ in 0..<200 {
            let name = ContainerNames.generate(avoiding: taken)
            #expect(!taken.contains(name))
            _ = try ContainerNames.validate(name)
            taken.insert(name)
        }
        #expect(ContainerNames.newID().count == 64)
    }
}

@Suite struct RestartPolicyTests {
    func record(_ policy: String, retries: Int = 0, exit: Int, count: Int = 0, manual: Bool = false) -> ContainerRecord {
        var host = HostConfig()
        host.restartPolicy = RestartPolicy(name: policy, maximumRetryCount: retries)
        var state = ContainerRecord.RunState()
        state.exitCode = exit; state.restartCount = count; state.manuallyStopped = manual
        return ContainerRecord(id: "x", name: "x", created: .zero, imageReference: "i", imageID: "i", imageTarget: "i",
                               config: ContainerConfig(), hostConfig: host, path: "true", args: [], state: state,
                               mounts: [], anonymousVolumes: [])
    }

    @Test func followsDockersRules() {
        #expect(!Engine.shouldRestart(record("no", exit: 1)))
        #expect(Engine.shouldRestart(record("always", exit: 0)))
        #expect(Engine.shouldRestart(record("unless-stopped", exit: 0)))
        #expect(!Engine.shouldRestart(record("unless-stopped", exit: 0, manual: true)))
        #expect(!Engine.shouldRestart(record("on-failure", exit: 0)))
        #expect(Engine.shouldRestart(record("on-failure", retries: 2, exit: 1, count: 1)))
        #expect(!Engine.shouldRestart(record("on-failure", retries: 2, exit: 1, count: 2)))
        #expect(Engine.restartDelay(0) == 100_000_000)
        #expect(Engine.restartDelay(30) == 60_000_000_000)
    }

    @Test func validatesPoliciesAtCreate() {
        var host = HostConfig()
        host.restartPolicy = RestartPolicy(name: "sometimes")
        #expect(throws: EngineError.self) { try Engine.validate(hostConfig: &host) }
        host.restartPolicy = RestartPolicy(name: "always")
        host.autoRemove = true
        #expect(throws: EngineError.self) { try Engine.validate(hostConfig: &host) }
    }
}

@Suite struct SignalAndSizeTests {
    @Test func signalsByNameAndNumber() throws {
        #expect(try Engine.signalNumber("SIGTERM") == 15)
        #expect(try Engine.signalNumber("kill") == 9)
        #expect(try Engine.signalNumber("10") == 10)
        #expect(try Engine.signalNumber("RTMIN+2") == 36)
        #expect(throws: EngineError.self) { try Engine.signalNumber("SIGNOPE") }
    }

    @Test func logSizes() {
        #expect(Engine.parseSize("10m") == Int64(10 * 1024 * 1024))
        #expect(Engine.parseSize("1k") == 1024)
        #expect(Engine.parseSize("100") == 100)
        #expect(Engine.parseSize("x") == nil)
    }

    @Test func startFailureExitCodes() {
        #expect(Engine.exitCode(forStartFailure: "exec: executable file not found in $PATH: nosuch") == 127)
        #expect(Engine.exitCode(forStartFailure: "exec /x: permission denied") == 126)
    }
}

@Suite struct JSONLogTests {
    @Test func decodesCompleteLinesOnly() {
        let text = #"{"log":"a\n","stream":"stdout","time":"2025-11-25T21:54:33.000000001Z"}"# + "\n"
            + #"{"log":"b","stream":"stderr","time":"2025-11-25T21:54:34Z"}"# + "\n" + #"{"log":"par"#
        let bytes = Array(text.utf8)
        let (entries, consumed) = JSONLogReader.decode(bytes[...])
        #expect(entries.count == 2)
        #expect(entries[0].stream == 1 && entries[0].text == Array("a\n".utf8))
        #expect(entries[1].stream == 2)
        #expect(consumed == bytes.count - #"{"log":"par"#.utf8.count)
    }
}
