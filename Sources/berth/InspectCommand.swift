import ArgumentParser
import Client
import Foundation

/// `berth inspect`: raw JSON of containers, images or volumes, or `-f` templates over it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Return low-level information on Docker objects",
        usage: "berth inspect [OPTIONS] NAME|ID [NAME|ID...]")
    @Option(name: .shortAndLong, help: "Format output using a custom template") var format: String?
    @Flag(name: .shortAndLong, help: "Display total file sizes if the type is container") var size = false
    @Option(help: "Return JSON for specified type") var type: String?
    @Argument var names: [String] = []

    func run() throws {
        guard !names.isEmpty else { throw UsageError.atLeast(1, "berth inspect") }
        if let type, !["container", "image", "volume"].contains(type) {
            throw CLIExit(1, "\"\(type)\" is not a valid value for --type")
        }
        let client = try connectClient()
        try inspectObjects(names, format: format) { name in
            try lookup(client, name)
        }
    }

    /// Tries the kinds `--type` allows, container first (as docker does).
    func lookup(_ client: BerthClient, _ name: String) throws -> [UInt8]? {
        let kinds = type.map { [$0] } ?? ["container", "image", "volume"]
        for kind in kinds {
            do {
                switch kind {
                case "container": return try client.inspectContainerRaw(name, size: size)
                case "image": return try client.inspectImageRaw(name)
                default: return try client.inspectVolumeRaw(name)
                }
            } catch let error as ClientError where error.isNotFound {
                if type != nil { throw error }
                continue
            }
        }
        return nil
    }
}

/// Prints inspect results as docker does: an indented JSON array, or one
/// rendered template per object; missing objects are reported after the rest.
func inspectObjects(_ names: [String], format: String?, fetch: (String) throws -> [UInt8]?) throws {
    var documents: [[UInt8]] = []
    var missing: [String] = []
    var otherErrors: [String] = []
    for name in names {
        do {
            if let raw = try fetch(name) { documents.append(raw) } else { missing.append(name) }
        } catch let exit as CLIExit {
            otherErrors.append(exit.message ?? "")
        } catch let error as ClientError {
            if case .cannotConnect = error { throw error }
            otherErrors.append(error.description)
        }
    }
    if let format, !format.isEmpty {
        let body = format == "json" ? "{{json .}}" : format
        let template: GoTemplate
        do { template = try GoTemplate(body, strictFields: true) } catch { throw CLIExit(64, "template parsing error: \(error)") }
        for document in documents {
            do { out(try template.render(try templateValue(document))) } catch let error as TemplateError {
                out("")
                throw CLIExit(1, "template parsing error: \(error)")
            }
        }
    } else {
        let items = documents.map { indentJSON($0, prefix: "    ", indent: "    ") }
        if items.isEmpty { out("[]") } else { out("[\n    " + items.joined(separator: ",\n    ") + "\n]") }
    }
    for message in otherErrors { err(message) }
    for name in missing { err("Error: No such object: \(name)") }
    if !missing.isEmpty || !otherErrors.isEmpty { throw CLIExit(1) }
}
