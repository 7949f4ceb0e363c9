import Foundation

/// The functions available to `--format` templates: docker's own plus Go's builtins.
enum TemplateFunctions {
    static func call(_ name: String, _ args: [TemplateValue]) throws -> TemplateValue {
        func arity(_ n: Int) throws {
            guard args.count == n else { throw TemplateError("wrong number of args for \(name): want \(n) got \(args.count)") }
        }
        func string(_ v: TemplateValue) -> String { v.goString }
        switch name {
        case "json":
            try arity(1)
            return .string(args[0].jsonString)
        case "join":
            try arity(2)
            guard case .array(let items) = args[0] else {
                if case .null = args[0] { return .string("") }
                throw TemplateError("join: expected a list, got \(args[0].goString)")
            }
            return .string(items.map(\.goString).joined(separator: string(args[1])))
        case "split":
            try arity(2)
            let separator = string(args[1])
            let parts = separator.isEmpty ? string(args[0]).map { String($0) } : string(args[0]).components(separatedBy: separator)
            return .array(parts.map { .string($0) })
        case "upper": try arity(1); return .string(string(args[0]).uppercased())
        case "lower": try arity(1); return .string(string(args[0]).lowercased())
        case "title":
            try arity(1)
            var out = "", atWordStart = true
            for c in string(args[0]) {
                out += atWordStart ? c.uppercased() : String(c)
                atWordStart = c.isWhitespace || c.isPunctuation
            }
            return .string(out)
        case "pad":
            try arity(3)
            guard case .int(let left) = args[1], case .int(let right) = args[2] else { throw TemplateError("pad: widths must be integers") }
            return .string(String(repeating: " ", count: Int(max(0, left))) + string(args[0]) + String(repeating: " ", count: Int(max(0, right))))
        case "truncate":
            try arity(2)
            guard case .int(let n) = args[1] else { throw TemplateError("truncate: length must be an integer") }
            return .string(String(string(args[0]).prefix(Int(max(0, n)))))
        case "len":
            try arity(1)
            switch args[0] {
            case .string(let s): return .int(Int64(s.utf8.count))
            case .array(let a): return .int(Int64(a.count))
            case .object(let o): return .int(Int64(o.count))
            case .null: return .int(0)
            default: throw TemplateError("len of type \(ExecutionState.typeName(args[0]))")
            }
        case "index":
            guard var current = args.first else { throw TemplateError("wrong number of args for index") }
            for key in args.dropFirst() {
                switch (current, key) {
                case (.object(let o), _): current = o[string(key)] ?? .null
                case (.array(let a), .int(let i)):
                    guard i >= 0, Int(i) < a.count else { throw TemplateError("index out of range: \(i)") }
                    current = a[Int(i)]
                case (.null, _): return .null
                default: throw TemplateError("can't index item of type \(ExecutionState.typeName(current))")
                }
            }
            return current
        case "print":
            // Go adds spaces between operands when neither is a string.
            var out = ""
            for (i, a) in args.enumerated() {
                if i > 0, !isString(a), !isString(args[i - 1]) { out += " " }
                out += a.goString
            }
            return .string(out)
        case "println":
            return .string(args.map(\.goString).joined(separator: " ") + "\n")
        case "printf":
            guard let format = args.first else { throw TemplateError("wrong number of args for printf") }
            return .string(goSprintf(string(format), Array(args.dropFirst())))
        case "not": try arity(1); return .bool(!args[0].isTruthy)
        case "and":
            guard !args.isEmpty else { throw TemplateError("wrong number of args for and") }
            return args.first { !$0.isTruthy } ?? args.last!
        case "or":
            guard !args.isEmpty else { throw TemplateError("wrong number of args for or") }
            return args.first { $0.isTruthy } ?? args.last!
        case "eq":
            guard args.count >= 2 else { throw TemplateError("wrong number of args for eq") }
            return .bool(args.dropFirst().contains { equal(args[0], $0) })
        case "ne": try arity(2); return .bool(!equal(args[0], args[1]))
        case "lt", "le", "gt", "ge":
            try arity(2)
            let c = try compare(args[0], args[1])
            switch name {
            case "lt": return .bool(c < 0)
            case "le": return .bool(c <= 0)
            case "gt": return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        default:
            throw TemplateError("function \"\(name)\" not defined")
        }
    }

    static func isString(_ v: TemplateValue) -> Bool { if case .string = v { return true } else { return false } }

    static func equal(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)): return Double(x) == y
        case (.double(let x), .int(let y)): return x == Double(y)
        default: return a == b
        }
    }

    static func compare(_ a: TemplateValue, _ b: TemplateValue) throws -> Int {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        default:
            guard let x = number(a), let y = number(b) else { throw TemplateError("incompatible types for comparison") }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    static func number(_ v: TemplateValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// `printf` with the verbs people use in formats: %s %v %d %q %f %x %%, widths and `-`.
    static func goSprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var out = ""
        var argIndex = 0
        var chars = format.makeIterator()
        while let c = chars.next() {
            guard c == "%" else { out.append(c); continue }
            var flags = ""
            var verb: Character? = nil
            while let next = chars.next() {
                if next.isNumber || next == "-" || next == "." || next == "+" || next == " " { flags.append(next) } else { verb = next; break }
            }
            guard let verb else { out += "%!(NOVERB)"; break }
            if verb == "%" { out += "%"; continue }
            guard argIndex < args.count else { out += "%!\(verb)(MISSING)"; continue }
            let arg = args[argIndex]
            argIndex += 1
            var text: String
            switch verb {
            case "q": text = "\"" + arg.goString.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            case "d": text = number(arg).map { String(Int64($0)) } ?? arg.goString
            case "f":
                let precision = flags.split(separator: ".").dropFirst().first.flatMap { Int($0) } ?? 6
                text = number(arg).map { String(format: "%.\(precision)f", $0) } ?? arg.goString
            case "x": text = number(arg).map { String(Int64($0), radix: 16) } ?? arg.goString.utf8.map { String(format: "%02x", $0) }.joined()
            default: text = arg.goString
            }
            let widthText = flags.trimmingCharacters(in: "-+ ").split(separator: ".").first.map(String.init) ?? ""
            if let width = Int(widthText), text.count < width {
                let padding = String(repeating: " ", count: width - text.count)
                text = flags.hasPrefix("-") ? text + padding : padding + text
            }
            out += text
        }
        return out
    }
}
