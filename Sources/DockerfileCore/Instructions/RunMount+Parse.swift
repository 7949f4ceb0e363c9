extension RunMount {
    /// Parses a `--mount` value (CSV `key=value` fields) after `expand` has been applied to each value,
    /// with docker's defaults and checks.
    public static func parse(_ spec: String, expand: (String) throws(DockerfileError) -> String) throws(DockerfileError) -> RunMount {
        guard let fields = csvFields(spec) else {
            throw DockerfileError(.flag, "failed to parse csv mounts: \(spec)")
        }
        var mount = RunMount()
        var readOnlyGiven = false
        for field in fields {
            let key: String
            var value: String
            if let equals = field.firstIndex(of: "=") {
                key = field[..<equals].lowercased()
                value = String(field[field.index(after: equals)...])
            } else {
                key = field.lowercased()
                switch key {
                case "readonly", "ro":
                    mount.readOnly = true
                    readOnlyGiven = true
                case "readwrite", "rw":
                    mount.readOnly = false
                    readOnlyGiven = true
                case "required":
                    guard mount.type == .secret || mount.type == .ssh else {
                        throw DockerfileError(.flag, "unexpected key '\(key)' for mount type '\(mount.type.rawValue)'")
                    }
                    mount.required = true
                default:
                    throw DockerfileError(.flag, "invalid field '\(field)' must be a key=value pair")
                }
                continue
            }
            value = try expand(value)
            switch key {
            case "type":
                guard let type = MountType(rawValue: value.lowercased()) else {
                    throw DockerfileError(.flag, "unsupported mount type \(goQuote(value))")
                }
                mount.type = type
            case "from": mount.from = value
            case "source", "src": mount.source = value
            case "target", "dst", "destination": mount.target = value
            case "readonly", "ro":
                guard let flag = goBool(value) else { throw DockerfileError(.flag, "invalid value for \(key): \(value)") }
                mount.readOnly = flag
                readOnlyGiven = true
            case "readwrite", "rw":
                guard let flag = goBool(value) else { throw DockerfileError(.flag, "invalid value for \(key): \(value)") }
                mount.readOnly = !flag
                readOnlyGiven = true
            case "required":
                guard mount.type == .secret || mount.type == .ssh else {
                    throw DockerfileError(.flag, "unexpected key '\(key)' for mount type '\(mount.type.rawValue)'")
                }
                guard let flag = goBool(value) else { throw DockerfileError(.flag, "invalid value for \(key): \(value)") }
                mount.required = flag
            case "size":
                guard mount.type == .tmpfs else {
                    throw DockerfileError(.flag, "unexpected key '\(key)' for mount type '\(mount.type.rawValue)'")
                }
                guard let bytes = ramInBytes(value) else { throw DockerfileError(.flag, "invalid value for \(key): \(value)") }
                mount.sizeLimit = bytes
            case "id": mount.id = value
            case "sharing":
                guard let sharing = Sharing(rawValue: value.lowercased()) else {
                    throw DockerfileError(.flag, "unsupported sharing value \(goQuote(value))")
                }
                mount.sharing = sharing
            case "mode":
                guard let mode = UInt32(value, radix: 8) else { throw DockerfileError(.flag, "invalid value \(value) for mode") }
                mount.mode = mode
            case "uid":
                guard let uid = UInt32(value) else { throw DockerfileError(.flag, "invalid value \(value) for uid") }
                mount.uid = uid
            case "gid":
                guard let gid = UInt32(value) else { throw DockerfileError(.flag, "invalid value \(value) for gid") }
                mount.gid = gid
            case "env": mount.env = value
            default:
                throw DockerfileError(.flag, "unexpected key '\(key)' in '\(field)'")
            }
        }
        if mount.type != .secret && mount.type != .ssh && mount.type != .cache {
            if mount.mode != nil { throw DockerfileError(.flag, "mode not allowed for \(goQuote(mount.type.rawValue)) type mounts") }
            if mount.uid != nil { throw DockerfileError(.flag, "uid not allowed for \(goQuote(mount.type.rawValue)) type mounts") }
            if mount.gid != nil { throw DockerfileError(.flag, "gid not allowed for \(goQuote(mount.type.rawValue)) type mounts") }
        }
        if !readOnlyGiven { mount.readOnly = !(mount.type == .cache || mount.type == .tmpfs) }
        if mount.type == .secret {
            if mount.from != nil { throw DockerfileError(.flag, "secret mount should not have a from") }
            if mount.sharing != nil { throw DockerfileError(.flag, "secret mount should not define sharing") }
            if mount.source == nil && mount.target == nil && mount.id == nil {
                throw DockerfileError(.flag, "invalid secret mount. one of source, target required")
            }
            if mount.source != nil && mount.id != nil { throw DockerfileError(.flag, "both source and id can't be set") }
        }
        if mount.sharing != nil && mount.type != .cache {
            throw DockerfileError(.flag, "invalid cache sharing set for \(mount.type.rawValue) mount")
        }
        return mount
    }

    /// The parse-time check docker makes before expansion: `from=` may not use variables.
    static func checkFrom(_ spec: String) throws(DockerfileError) {
        guard let fields = csvFields(spec) else { throw DockerfileError(.flag, "failed to parse csv mounts: \(spec)") }
        for field in fields {
            guard let equals = field.firstIndex(of: "="), field[..<equals].lowercased() == "from" else { continue }
            let value = Array(field[field.index(after: equals)...].unicodeScalars)
            if let dollar = value.firstIndex(of: "$"), dollar != value.count - 1 {
                throw DockerfileError(.flag, "'from' doesn't support variable expansion, define alias stage instead")
            }
        }
    }

    /// One CSV record: comma-separated fields, `"quoted"` fields with `""` for a quote.
    static func csvFields(_ line: String) -> [String]? {
        var fields: [String] = []
        var field = ""
        var scalars = Array(line.unicodeScalars)[...]
        var startOfField = true
        while true {
            if startOfField, scalars.first == "\"" {
                scalars = scalars.dropFirst()
                var closed = false
                while let ch = scalars.first {
                    scalars = scalars.dropFirst()
                    if ch == "\"" {
                        if scalars.first == "\"" {
                            field.unicodeScalars.append("\"")
                            scalars = scalars.dropFirst()
                            continue
                        }
                        closed = true
                        break
                    }
                    field.unicodeScalars.append(ch)
                }
                guard closed else { return nil }
                guard scalars.isEmpty || scalars.first == "," else { return nil }
            }
            startOfField = false
            guard let ch = scalars.first else {
                fields.append(field)
                return fields
            }
            scalars = scalars.dropFirst()
            if ch == "," {
                fields.append(field)
                field = ""
                startOfField = true
            } else {
                if ch == "\"" { return nil }
                field.unicodeScalars.append(ch)
            }
        }
    }

    /// Go's strconv.ParseBool.
    static func goBool(_ value: String) -> Bool? {
        switch value {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    /// docker/go-units RAMInBytes: `64m`, `1.5g`, `512KiB`, `1024` (binary multiples).
    static func ramInBytes(_ text: String) -> Int64? {
        var scalars = Array(text.unicodeScalars)[...]
        var number = ""
        while let ch = scalars.first, (ch.value >= 0x30 && ch.value <= 0x39) || ch == "." {
            number.unicodeScalars.append(ch)
            scalars = scalars.dropFirst()
        }
        guard !number.isEmpty, !number.hasPrefix("."), !number.hasSuffix("."), let value = Double(number) else { return nil }
        if scalars.first == " " { scalars = scalars.dropFirst() }
        var multiplier: Double = 1
        if let unit = scalars.first, "kKmMgGtTpP".unicodeScalars.contains(unit) {
            let exponent = ["k": 1, "m": 2, "g": 3, "t": 4, "p": 5][String(unit).lowercased()]!
            multiplier = pow1024(exponent)
            scalars = scalars.dropFirst()
        }
        if let i = scalars.first, i == "i" || i == "I" { scalars = scalars.dropFirst() }
        if let b = scalars.first, b == "b" || b == "B" { scalars = scalars.dropFirst() }
        guard scalars.isEmpty else { return nil }
        return Int64(value * multiplier)
    }

    private static func pow1024(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 1024 }
    }
}
