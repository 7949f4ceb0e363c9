// Image reference grammar, after distribution/reference (the library Docker uses):
//
//   reference      := name [ ":" tag ] [ "@" digest ]
//   name           := [ domain "/" ] path
//   domain         := host [ ":" port ]       host := domain-name | "[" ipv6 "]"
//   domain-name    := component ( "." component )*,  component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//   path           := path-component ( "/" path-component )*
//   path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*,  separator := "." | "_" | "__" | "-"+
//   tag            := [\w][\w.-]{0,127}
//   digest         := algorithm ":" [0-9a-fA-F]{32,}, then checked by `Digest(parsing:)`
//
// Normalization (ParseNormalizedNamed): the first "/"-separated component is a domain when it is
// "localhost", contains "." or ":", or has uppercase letters; otherwise the domain is docker.io.
// "index.docker.io" becomes "docker.io", and a single-component docker.io path gets "library/".

/// Parses and validates image references without regular expressions.
enum ReferenceParser {
    /// Parses `text` as `docker pull` does; see the grammar above.
    static func parse(_ text: String) throws(ReferenceError) -> ImageReference {
        if text.utf8.count == 64, text.utf8.allSatisfy(isLowerHex) { throw ReferenceError.hexIdentifier(text) }
        guard !text.isEmpty else { throw ReferenceError.invalidFormat }

        let (domain, remainder) = splitDockerDomain(text)
        let remote = remainder.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if remote.lowercased() != remote { throw ReferenceError.uppercaseRepository(remote) }

        var namePart = Substring(remainder)
        var digest: Digest? = nil
        if let at = remainder.firstIndex(of: "@") {
            let digestText = String(remainder[remainder.index(after: at)...])
            namePart = remainder[..<at]
            guard isDigestShaped(digestText) else { throw ReferenceError.invalidFormat }
            do {
                digest = try Digest(parsing: digestText)
            } catch {
                throw ReferenceError.invalidDigest(error)
            }
        }
        var path = String(namePart)
        var tag: String? = nil
        if let colon = namePart.firstIndex(of: ":") {
            path = String(namePart[..<colon])
            let tagText = String(namePart[namePart.index(after: colon)...])
            guard isValidPath(path), isValidDomain(domain) else { throw ReferenceError.invalidFormat }
            guard isValidTag(tagText) else { throw ReferenceError.invalidTag(tagText) }
            tag = tagText
        }
        guard isValidPath(path), isValidDomain(domain) else { throw ReferenceError.invalidFormat }
        guard domain.utf8.count + 1 + path.utf8.count <= ImageReference.maximumNameLength else {
            throw ReferenceError.nameTooLong
        }
        if tag == nil && digest == nil { tag = ImageReference.defaultTag }
        return ImageReference(validDomain: domain, path: path, tag: tag, digest: digest)
    }

    /// Splits off the domain by Docker's rule, defaulting to docker.io and adding `library/` there.
    static func splitDockerDomain(_ text: String) -> (domain: String, remainder: String) {
        guard let slash = text.firstIndex(of: "/") else {
            return (ImageReference.defaultDomain, ImageReference.officialRepositoryPrefix + text)
        }
        let first = String(text[..<slash])
        let rest = String(text[text.index(after: slash)...])
        var domain: String
        var remainder: String
        if first == "localhost" {
            (domain, remainder) = (first, rest)
        } else if first == ImageReference.legacyDefaultDomain {
            (domain, remainder) = (ImageReference.defaultDomain, rest)
        } else if first.contains(".") || first.contains(":") || first.lowercased() != first {
            (domain, remainder) = (first, rest)
        } else {
            (domain, remainder) = (ImageReference.defaultDomain, text)
        }
        if domain == ImageReference.defaultDomain && !remainder.contains("/") {
            remainder = ImageReference.officialRepositoryPrefix + remainder
        }
        return (domain, remainder)
    }

    /// `host[:port]` where host is a domain name, an IPv4 address or a bracketed IPv6 address.
    static func isValidDomain(_ domain: String) -> Bool {
        var bytes = Array(domain.utf8)[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > bytes.startIndex + 1 else { return false }
            let inner = bytes[(bytes.startIndex + 1)..<close]
            guard inner.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") }) else { return false }
            bytes = bytes[(close + 1)...]
        } else {
            let hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            let host = bytes[..<hostEnd]
            let components = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            for component in components {
                guard let first = component.first, let last = component.last,
                    isAlnum(first), isAlnum(last),
                    component.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") })
                else { return false }
            }
            bytes = bytes[hostEnd...]
        }
        if bytes.isEmpty { return true }
        guard bytes.first == UInt8(ascii: ":") else { return false }
        let port = bytes.dropFirst()
        return !port.isEmpty && port.allSatisfy(isDigit)
    }

    /// One or more `/`-separated lowercase components with `.`, `_`, `__` or `-+` separators.
    static func isValidPath(_ path: String) -> Bool {
        let components = Array(path.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return !components.isEmpty && components.allSatisfy(isValidPathComponent)
    }

    private static func isValidPathComponent(_ component: ArraySlice<UInt8>) -> Bool {
        var index = component.startIndex
        func run() -> Bool {
            let start = index
            while index < component.endIndex, isLowerAlnum(component[index]) { index += 1 }
            return index > start
        }
        guard run() else { return false }
        while index < component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: ".") {
                index += 1
            } else if byte == UInt8(ascii: "_") {
                index += 1
                if index < component.endIndex, component[index] == UInt8(ascii: "_") { index += 1 }
            } else if byte == UInt8(ascii: "-") {
                while index < component.endIndex, component[index] == UInt8(ascii: "-") { index += 1 }
            } else {
                return false
            }
            guard run() else { return false }
        }
        return true
    }

    /// `[\w][\w.-]{0,127}` with ASCII `\w`.
    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128, isWord(first) else { return false }
        return bytes.allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// The shape distribution/reference accepts before checking the digest itself:
    /// `[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`.
    static func isDigestShaped(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let hex = parts[1].utf8
        guard hex.count >= 32, hex.allSatisfy(isHex) else { return false }
        var expectLetter = true
        for byte in parts[0].utf8 {
            if expectLetter {
                guard isLetter(byte) else { return false }
                expectLetter = false
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
                expectLetter = true
            } else if !isLetter(byte) && !isDigit(byte) {
                return false
            }
        }
        return !expectLetter
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
    private static func isAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    private static func isLowerAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isWord(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == UInt8(ascii: "_") }
    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
    private static func isLowerHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
