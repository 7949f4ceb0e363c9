// The end-to-end suite: one berthd (built beside this test bundle) for every nested suite
// below, driven with the real docker CLI 28 and docker-py 7 as processes. Root only.
//
// Run:  swift build --scratch-path .build-e2e --product berthd   (and berth-shim, berth-runtime)
//       swift build --scratch-path .build-e2e --build-tests
//       swift test --scratch-path .build-e2e --skip-build --filter EngineE2ETests.EngineE2E
// The daemon's log of each run is kept in /tmp/berth-e2e-logs/<label>.log.
import Testing

@Suite("berthd end to end", .serialized,
       .enabled(if: daemonUnavailableReason == nil, Comment(rawValue: daemonUnavailableReason ?? "")),
       .berthDaemon("shared"))
struct EngineE2E {}
