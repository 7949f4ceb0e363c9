import Foundation

/// Renders a list the way docker's formatters do: the `--format` string
/// (`table …` for a header row and aligned columns, `json` for one JSON object
/// per line, or a plain template per row), `\t` and `\n` escapes replaced.
public struct ListFormatter {
    /// The format as given (or the command's default table format).
    public var format: String
    /// Column headers by field name (`ID` → `CONTAINER ID`).
    public var headers: [String: String]
    /// The Go type docker names in missing-field errors.
    public var contextTypeName: String?

    public init(format: String, headers: [String: String], contextTypeName: String? = nil) {
        self.format = format; self.headers = headers; self.contextTypeName = contextTypeName
    }

    /// True when the format asks for a table.
    public var isTable: Bool { format.hasPrefix("table") }

    /// The rendered rows (with the header row for tables).
    public func render(_ rows: [TemplateValue]) throws -> String {
        var body = format
        if body == "json" { body = "{{json .}}" }
        if isTable { body = String(body.dropFirst("table".count)) }
        body = body.trimmingCharacters(in: " ")
            .replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\n", with: "\n")
        var template = try GoTemplate(body, strictFields: true)
        template.contextTypeName = contextTypeName
        var out = ""
        if isTable {
            let headerRow = TemplateValue.object(TemplateObject(headers.mapValues { .string($0) }))
            var headerTemplate = template
            headerTemplate.strictFields = false
            let header = (try? headerTemplate.render(headerRow)) ?? ""
            if !header.trimmingCharacters(in: " \t").isEmpty { out += header + "\n" }
        }
        for row in rows { out += try template.render(row) + "\n" }
        return isTable ? TabWriter().format(out) : out
    }
}
