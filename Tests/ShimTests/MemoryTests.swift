import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension ShimTests {
    @Test func residentMemoryOfAShimHoldingASleepingContainerIsAtMost4MB() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let shim = try world.spawnShim(id: "rss", dir: try world.makeDir("shim"), extra: ["--log", world.base + "/log.json"])
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            #expect(try shim.command("start") == "ok \(pid)")
            #expect(try shim.command("status") == "running \(pid)")
            usleep(300_000)  // let the loop settle (it drops startup code pages once idle)
            let status = try String(contentsOfFile: "/proc/\(shim.pid)/status", encoding: .utf8)
            func kB(_ key: String) -> Int? {
                status.split(separator: "\n").first { $0.hasPrefix(key + ":") }
                    .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
            }
            let rss = try #require(kB("VmRSS"))
            print("berth-shim VmRSS: \(rss) kB (anon \(kB("RssAnon") ?? -1) kB, file \(kB("RssFile") ?? -1) kB)")
            #expect(rss <= 4096, "VmRSS \(rss) kB")
            let waiter = try shim.waiter()
            #expect(try shim.command("kill 9") == "ok")
            #expect(waiter.readLine()?.hasPrefix("exit 137 ") == true)
        }
    }
}
