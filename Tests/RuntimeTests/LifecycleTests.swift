import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension RuntimeE2E {
    /// create / start / state / kill / delete / pause / resume / list / ps.
    @Suite struct Lifecycle {
        /// pid 1 ignores SIGTERM unless it installs a handler; this one exits on it.
        static let termAware = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"]

        @Test func createStartKillDeleteWalksThroughEveryState() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config["annotations"] = ["org.berth.owner": "e2e", "org.berth.empty": ""]
            let pidFile = fx.dir + "/pid"
            let created = fx.create(Lifecycle.termAware, extra: ["--pid-file", pidFile])
            try #require(created.status == 0, "\(created)")

            let state = try #require(fx.state(), "state after create")
            #expect(state["status"] as? String == "created")
            #expect(state["id"] as? String == fx.id)
            #expect(state["bundle"] as? String == fx.bundle)
            #expect(state["ociVersion"] is String)
            #expect(state["annotations"] as? [String: String] == ["org.berth.owner": "e2e", "org.berth.empty": ""])
            let pid = try #require((state["pid"] as? Int).map(Int32.init))
            #expect(pid > 0 && processAlive(pid))
            #expect(readFile(pidFile).trimmingCharacters(in: .whitespacesAndNewlines) == "\(pid)")
            // Not yet the user's process: it must not have exec'd before start.
            #expect(!readFile("/proc/\(pid)/cmdline").contains("trap"))
            let dirs = fx.trackCgroups(of: pid)

            let started = fx.runtime(["start", fx.id])
            #expect(started.status == 0, "\(started)")
            #expect(fx.waitForStatus("running"))
            #expect(poll { readFile("/proc/\(pid)/cmdline").contains("trap") }, "start did not exec the process")
            #expect(fx.runtime(["start", fx.id]).status != 0, "a second start must fail")

            let killed = fx.runtime(["kill", fx.id, "TERM"])
            #expect(killed.status == 0, "\(killed)")
            #expect(fx.waitForStatus("stopped"), "\(String(describing: fx.state()))")

            let deleted = fx.runtime(["delete", fx.id])
            #expect(deleted.status == 0, "\(deleted)")
            let gone = fx.runtime(["state", fx.id])
            #expect(gone.status == 1, "\(gone)")
            #expect(!gone.stderr.isEmpty)
            if !fx.isRunc { #expect(gone.stderr.contains(fx.id), "\(gone)") }
            #expect(fx.stateEntries().isEmpty, "state left: \(fx.stateEntries())")
            #expect(!processAlive(pid))
            #expect(dirs.values.contains { $0.contains(fx.id) }, "default cgroup path should name the container: \(dirs)")
            for dir in dirs.values where dir.contains(fx.id) {
                #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) left behind")
            }
            #expect(fx.leakedMounts().isEmpty, "\(fx.leakedMounts().map(\.mountPoint))")
        }

        @Test func killDefaultsToSigtermAndAcceptsSignalNumbersAndNames() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            _ = try fx.startLongRunning(["sh", "-c", "trap 'exit 0' TERM; trap '' HUP; while :; do sleep 0.1; done"])
            #expect(fx.runtime(["kill", fx.id, "SIGHUP"]).status == 0)
            #expect(fx.runtime(["kill", fx.id, "1"]).status == 0)
            #expect(fx.state()?["status"] as? String == "running")
            let killed = fx.runtime(["kill", fx.id])
            #expect(killed.status == 0, "\(killed)")
            #expect(fx.waitForStatus("stopped"))
        }

        @Test func deleteRefusesARunningContainerWithoutForce() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let pid = try fx.startLongRunning()
            let refused = fx.runtime(["delete", fx.id])
            #expect(refused.status == 1, "\(refused)")
            #expect(fx.state()?["status"] as? String == "running")
            let forced = fx.runtime(["delete", "--force", fx.id])
            #expect(forced.status == 0, "\(forced)")
            #expect(poll { !processAlive(pid) })
            #expect(fx.state() == nil)
        }

        @Test func killAllSignalsEveryProcessInTheContainer() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let pid = try fx.startLongRunning(["sh", "-c", "sleep 1000 & sleep 1000 & wait"])
            let dirs = fx.trackCgroups(of: pid)
            let procsFile = try #require(dirs["pids"]) + "/cgroup.procs"
            #expect(poll { readFile(procsFile).split(separator: "\n").count == 3 }, "\(readFile(procsFile))")
            let procs = readFile(procsFile).split(separator: "\n").compactMap { Int32($0) }
            let killed = fx.runtime(["kill", "--all", fx.id, "KILL"])
            #expect(killed.status == 0, "\(killed)")
            #expect(fx.waitForStatus("stopped"))
            #expect(poll { procs.allSatisfy { !processAlive($0) } }, "survivors: \(procs.filter(processAlive))")
        }

        @Test func pauseFreezesAndResumeThaws() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let counter = fx.makeHostDir("counter")
            fx.addMount("/counter", source: counter, options: ["bind", "rw"])
            let pid = try fx.startLongRunning(["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /counter/n; sleep 0.01; done"])
            let freezer = try #require(fx.trackCgroups(of: pid)["freezer"])
            #expect(poll { !readFile(counter + "/n").isEmpty })

            let paused = fx.runtime(["pause", fx.id])
            #expect(paused.status == 0, "\(paused)")
            #expect(fx.state()?["status"] as? String == "paused")
            #expect(readFile(freezer + "/freezer.state") == "FROZEN\n")
            let frozenAt = readFile(counter + "/n")
            Thread.sleep(forTimeInterval: 0.15)
            #expect(readFile(counter + "/n") == frozenAt, "the process kept running while paused")

            let resumed = fx.runtime(["resume", fx.id])
            #expect(resumed.status == 0, "\(resumed)")
            #expect(fx.state()?["status"] as? String == "running")
            #expect(readFile(freezer + "/freezer.state") == "THAWED\n")
            #expect(poll { let now = readFile(counter + "/n"); return !now.isEmpty && now != frozenAt }, "no progress after resume")
        }

        @Test func listShowsTheContainerWithItsStatus() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let pid = try fx.startLongRunning()
            let created2 = fx.create(["sleep", "1000"], id: fx.id + "-b")
            fx.extraIDs.append(fx.id + "-b")
            try #require(created2.status == 0, "\(created2)")

            let listed = fx.runtime(["list", "--format", "json"])
            #expect(listed.status == 0, "\(listed)")
            let entries = try #require(jsonArray(listed.stdout) as? [[String: Any]], "\(listed)")
            let byID = Dictionary(entries.compactMap { e in (e["id"] as? String).map { ($0, e) } }, uniquingKeysWith: { a, _ in a })
            #expect(byID[fx.id]?["status"] as? String == "running")
            #expect(byID[fx.id]?["pid"] as? Int == Int(pid))
            #expect(byID[fx.id]?["bundle"] as? String == fx.bundle)
            #expect(byID[fx.id + "-b"]?["status"] as? String == "created")

            let text = fx.runtime(["list"])
            #expect(text.status == 0)
            #expect(text.stdout.hasPrefix("ID"), "\(text.stdout)")
            #expect(lines(text.stdout).contains { $0.hasPrefix(fx.id + " ") && $0.contains("running") }, "\(text.stdout)")
        }

        @Test func psListsEveryPidOfTheContainer() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let pid = try fx.startLongRunning(["sh", "-c", "sleep 1000 & wait"])
            let procsFile = try #require(fx.trackCgroups(of: pid)["pids"]) + "/cgroup.procs"
            #expect(poll { readFile(procsFile).split(separator: "\n").count == 2 })
            let expected = Set(readFile(procsFile).split(separator: "\n").compactMap { Int($0) })
            let ps = fx.runtime(["ps", "--format", "json", fx.id])
            #expect(ps.status == 0, "\(ps)")
            let pids = try #require(jsonArray(ps.stdout) as? [Int], "\(ps)")
            #expect(Set(pids) == expected)
            #expect(pids.contains(Int(pid)))
        }

        @Test func runDetachLeavesTheContainerRunning() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "process.args"] = ["sleep", "1000"]
            fx.writeConfig()
            let pidFile = fx.dir + "/pid"
            let started = fx.runtime(["run", "--bundle", fx.bundle, "--detach", "--pid-file", pidFile, fx.id], timeout: 10)
            #expect(started.status == 0, "\(started)")
            #expect(!started.timedOut)
            #expect(fx.state()?["status"] as? String == "running")
            let pid = fx.statePid()
            #expect(pid != nil && readFile(pidFile).trimmingCharacters(in: .whitespacesAndNewlines) == "\(pid!)")
            #expect(poll { readFile("/proc/\(pid ?? 0)/cmdline").hasPrefix("sleep") })
        }

        @Test func runRemovesTheContainerWhenItExits() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.sh("exit 3")
            #expect(result.status == 3)
            #expect(fx.state() == nil)
            #expect(fx.stateEntries().isEmpty)
        }

        @Test func errorsGoToTheJsonLogWhenAsked() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let log = fx.dir + "/runtime.log"
            let result = runCommand(fx.binary, ["--root", fx.stateRoot, "--log", log, "--log-format", "json", "state", "no-such-\(fx.id)"])
            #expect(result.status == 1, "\(result)")
            let entries = lines(readFile(log)).compactMap(jsonObject)
            #expect(!entries.isEmpty, "log: \(readFile(log))")
            #expect(entries.contains { $0["level"] as? String == "error" && ($0["msg"] as? String)?.isEmpty == false }, "\(entries)")
        }
    }
}
