// berth-store: a thin command-line door into ImageStore (benchmarks, fault tests)
// until berthd and the berth CLI exist. Each command parses and calls the library.
import ArgumentParser
import Glibc
import ImageStore
import OCI

/// The root command: subcommands only.
@main
struct BerthStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "berth-store",
        abstract: "Layers, content and images of a Berth store, without the daemon.",
        subcommands: [ApplyLayer.self, DiffLayer.self, Ingest.self, Import.self, Load.self, Save.self, BaseImageCommand.self]
    )
}

/// Runs `body`; a thrown error is printed once to stderr and the process exits 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        FileHandleStderr.write("berth-store: \(error)\n")
        throw ExitCode.failure
    }
}

/// Writes straight to fd 2 (no Foundation needed).
enum FileHandleStderr {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
