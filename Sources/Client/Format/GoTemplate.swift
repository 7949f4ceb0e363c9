import Foundation

/// A parsed Go template (the subset docker's `--format` and `inspect -f` use),
/// executed over `TemplateValue`s with docker's template functions
/// (`json`, `join`, `split`, `upper`, `lower`, `title`, `pad`, `truncate`) and
/// Go's builtins (`index`, `len`, `print*`, `eq`/`ne`/`lt`/…, `and`, `or`, `not`).
public struct GoTemplate: Sendable {
    let nodes: [TemplateNode]
    /// When true a missing field is an error (docker's typed contexts); when false it is `<no value>` (raw JSON).
    public var strictFields: Bool
    /// The Go type named in missing-field errors (`*formatter.ContainerContext`); nil reads as a map lookup.
    public var contextTypeName: String?

    /// Parses `text`.
    public init(_ text: String, strictFields: Bool = false) throws {
        var parser = TemplateParser(text)
        do { nodes = try parser.parse() } catch let error as TemplateError {
            throw TemplateError(error.message, parse: true)
        }
        self.strictFields = strictFields
    }

    /// Renders the template with `dot` as `.` and `$`.
    public func render(_ dot: TemplateValue) throws -> String {
        var state = ExecutionState(strict: strictFields, typeName: contextTypeName, variables: [("$", dot)])
        var out = ""
        try state.walk(nodes, dot, &out)
        return out
    }
}

struct ExecutionState {
    var strict: Bool
    var typeName: String?
    var variables: [(String, TemplateValue)]

    mutating func walk(_ nodes: [TemplateNode], _ dot: TemplateValue, _ out: inout String) throws {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .action(let pipeline):
                let value = try evaluate(pipeline, dot)
                if pipeline.declarations.isEmpty { out += value.goString }
            case .ifNode(let pipeline, let then, let otherwise):
                let mark = variables.count
                try walk(try evaluate(pipeline, dot).isTruthy ? then : otherwise, dot, &out)
                variables.removeSubrange(mark...)
            case .withNode(let pipeline, let then, let otherwise):
                let mark = variables.count
                let value = try evaluate(pipeline, dot)
                if value.isTruthy { try walk(then, value, &out) } else { try walk(otherwise, dot, &out) }
                variables.removeSubrange(mark...)
            case .rangeNode(let pipeline, let body, let otherwise):
                let mark = variables.count
                var plain = pipeline
                plain.declarations = []
                let collection = try evaluate(plain, dot)
                var items: [(TemplateValue, TemplateValue)] = []
                switch collection {
                case .array(let a): items = a.enumerated().map { (.int(Int64($0.offset)), $0.element) }
                case .object(let o): items = o.keys.sorted().map { (.string($0), o[$0]!) }
                case .int(let n): items = (0..<max(0, n)).map { (.int($0), .int($0)) }
                case .null: items = []
                default: throw TemplateError("range can't iterate over \(collection.goString)")
                }
                if items.isEmpty { try walk(otherwise, dot, &out) }
                for (key, element) in items {
                    let inner = variables.count
                    switch pipeline.declarations.count {
                    case 0: break
                    case 1: variables.append((pipeline.declarations[0], element))
                    default:
                        variables.append((pipeline.declarations[0], key))
                        variables.append((pipeline.declarations[1], element))
                    }
                    try walk(body, element, &out)
                    variables.removeSubrange(inner...)
                }
                variables.removeSubrange(mark...)
            }
        }
    }

    mutating func evaluate(_ pipeline: Pipeline, _ dot: TemplateValue) throws -> TemplateValue {
        var piped: TemplateValue? = nil
        for command in pipeline.commands {
            piped = try execute(command, dot, piped)
        }
        let value = piped ?? .null
        for name in pipeline.declarations { variables.append((name, value)) }
        return value
    }

    mutating func execute(_ command: [Operand], _ dot: TemplateValue, _ piped: TemplateValue?) throws -> TemplateValue {
        guard let first = command.first else { return .null }
        if case .function(let name) = first {
            var args = try command.dropFirst().map { try operand($0, dot) }
            if let piped { args.append(piped) }
            return try TemplateFunctions.call(name, args)
        }
        guard command.count == 1, piped == nil else {
            throw TemplateError("can't give argument to non-function \(describe(first))")
        }
        return try operand(first, dot)
    }

    mutating func operand(_ operand: Operand, _ dot: TemplateValue) throws -> TemplateValue {
        switch operand {
        case .field(let path): return try lookup(dot, path)
        case .variable(let name, let path):
            guard let value = variables.last(where: { $0.0 == name })?.1 else { throw TemplateError("undefined variable \"\(name)\"") }
            return try lookup(value, path)
        case .literal(let value): return value
        case .function(let name): return try TemplateFunctions.call(name, [])
        case .sub(let pipeline, let path): return try lookup(try evaluate(pipeline, dot), path)
        }
    }

    func lookup(_ value: TemplateValue, _ path: [String]) throws -> TemplateValue {
        var current = value
        for name in path {
            switch current {
            case .object(let o):
                if let next = o[name] { current = next }
                else if strict {
                    let at = "executing \"\" at <." + path.joined(separator: ".") + ">: "
                    if let typeName { throw TemplateError(at + "can't evaluate field \(name) in type \(typeName)") }
                    throw TemplateError(at + "map has no entry for key \"\(name)\"")
                }
                else { current = .null }
            case .null:
                if strict { throw TemplateError("nil pointer evaluating .\(name)") }
                return .null
            default:
                throw TemplateError("can't evaluate field \(name) in type \(Self.typeName(current))")
            }
        }
        return current
    }

    static func typeName(_ v: TemplateValue) -> String {
        switch v {
        case .null: return "interface {}"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    func describe(_ operand: Operand) -> String {
        switch operand {
        case .field(let path): return "." + path.joined(separator: ".")
        case .variable(let name, _): return name
        case .literal(let v): return v.goString
        case .function(let n): return n
        case .sub: return "(…)"
        }
    }
}
