/// Re-indents JSON bytes like Go's `json.Indent(dst, src, prefix, indent)`: key
/// order is kept as the daemon sent it, `{}`/`[]` stay compact, `": "` after keys.
public func indentJSON(_ bytes: [UInt8], prefix: String = "", indent: String = "    ") -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    let prefixBytes = Array(prefix.utf8), indentBytes = Array(indent.utf8)
    var depth = 0
    var inString = false
    var escaped = false
    var needIndent = false  // after an opening bracket, before its first value
    func newline() {
        out.append(10)
        out += prefixBytes
        for _ in 0..<depth { out += indentBytes }
    }
    for byte in bytes {
        if inString {
            out.append(byte)
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            continue
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if needIndent { depth += 1; newline() }
            out.append(byte)
            needIndent = true
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if needIndent {
                needIndent = false  // empty: `{}` / `[]`
            } else {
                depth -= 1
                newline()
            }
            out.append(byte)
        case UInt8(ascii: ","):
            out.append(byte)
            newline()
        case UInt8(ascii: ":"):
            out.append(byte)
            out.append(UInt8(ascii: " "))
        default:
            if needIndent { depth += 1; newline(); needIndent = false }
            if byte == UInt8(ascii: "\"") { inString = true }
            out.append(byte)
        }
        if byte != UInt8(ascii: "{") && byte != UInt8(ascii: "[") { needIndent = false }
    }
    return String(decoding: out, as: UTF8.self)
}
