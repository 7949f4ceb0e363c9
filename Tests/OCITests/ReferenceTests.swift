import Foundation
import Testing

@testable import OCI

private let hex = "7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa"

/// One accepted reference: what it normalizes to and how Docker displays it.
private struct Accepted: Sendable, CustomStringConvertible {
    let input: String
    let string: String
    let familiar: String
    var description: String { input }
}

private let accepted: [Accepted] = [
    Accepted(input: "busybox", string: "docker.io/library/busybox:latest", familiar: "busybox:latest"),
    Accepted(input: "busybox:1.36", string: "docker.io/library/busybox:1.36", familiar: "busybox:1.36"),
    Accepted(input: "user/app", string: "docker.io/user/app:latest", familiar: "user/app:latest"),
    Accepted(input: "docker.io/library/busybox", string: "docker.io/library/busybox:latest", familiar: "busybox:latest"),
    Accepted(input: "docker.io/busybox", string: "docker.io/library/busybox:latest", familiar: "busybox:latest"),
    Accepted(input: "index.docker.io/user/app:v1", string: "docker.io/user/app:v1", familiar: "user/app:v1"),
    Accepted(input: "index.docker.io/busybox", string: "docker.io/library/busybox:latest", familiar: "busybox:latest"),
    Accepted(input: "docker.io/library/a/b", string: "docker.io/library/a/b:latest", familiar: "library/a/b:latest"),
    Accepted(input: "localhost/foo", string: "localhost/foo:latest", familiar: "localhost/foo:latest"),
    Accepted(input: "localhost:5000/a/b:tag", string: "localhost:5000/a/b:tag", familiar: "localhost:5000/a/b:tag"),
    Accepted(input: "host:5000/a/b:tag@sha256:\(hex)", string: "host:5000/a/b:tag@sha256:\(hex)", familiar: "host:5000/a/b:tag@sha256:\(hex)"),
    Accepted(input: "registry.example.com/x", string: "registry.example.com/x:latest", familiar: "registry.example.com/x:latest"),
    Accepted(input: "[::1]:5000/x", string: "[::1]:5000/x:latest", familiar: "[::1]:5000/x:latest"),
    Accepted(input: "[2001:db8::1]/repo:v1", string: "[2001:db8::1]/repo:v1", familiar: "[2001:db8::1]/repo:v1"),
    Accepted(input: "127.0.0.1:5000/repo", string: "127.0.0.1:5000/repo:latest", familiar: "127.0.0.1:5000/repo:latest"),
    Accepted(input: "busybox@sha256:\(hex)", string: "docker.io/library/busybox@sha256:\(hex)", familiar: "busybox@sha256:\(hex)"),
    Accepted(input: "busybox:latest@sha256:\(hex)", string: "docker.io/library/busybox:latest@sha256:\(hex)", familiar: "busybox:latest@sha256:\(hex)"),
    Accepted(input: "user/a.b-c__d---e_f", string: "docker.io/user/a.b-c__d---e_f:latest", familiar: "user/a.b-c__d---e_f:latest"),
    Accepted(input: "gcr.io/project/sub/image:tag-1.0_x", string: "gcr.io/project/sub/image:tag-1.0_x", familiar: "gcr.io/project/sub/image:tag-1.0_x"),
    Accepted(input: "ghcr.io/owner/repo:V1.2", string: "ghcr.io/owner/repo:V1.2", familiar: "ghcr.io/owner/repo:V1.2"),
    Accepted(input: "Registry.Example.com/app", string: "Registry.Example.com/app:latest", familiar: "Registry.Example.com/app:latest"),
    // An uppercase first component can only be a domain, as in Docker.
    Accepted(input: "UPPER/app", string: "UPPER/app:latest", familiar: "UPPER/app:latest"),
    Accepted(input: "example.com:443/a", string: "example.com:443/a:latest", familiar: "example.com:443/a:latest"),
    Accepted(input: "a-b.example/x-y", string: "a-b.example/x-y:latest", familiar: "a-b.example/x-y:latest"),
    Accepted(input: "busybox:_x", string: "docker.io/library/busybox:_x", familiar: "busybox:_x"),
    Accepted(input: "busybox:" + String(repeating: "t", count: 128), string: "docker.io/library/busybox:" + String(repeating: "t", count: 128),
             familiar: "busybox:" + String(repeating: "t", count: 128)),
]

@Test(arguments: accepted)
private func referenceNormalizesLikeDocker(_ test: Accepted) throws {
    let reference = try ImageReference(parsing: test.input)
    #expect(reference.string == test.string)
    #expect(reference.familiarString == test.familiar)
    // The normalized form parses to itself.
    #expect(try ImageReference(parsing: reference.string) == reference)
}

/// One refused reference and the message the user sees.
private struct Refused: Sendable, CustomStringConvertible {
    let input: String
    let message: String
    var description: String { input }
}

private let refused: [Refused] = [
    Refused(input: "", message: "invalid reference format"),
    Refused(input: "Busybox", message: "invalid reference format: repository name (library/Busybox) must be lowercase"),
    Refused(input: "user/App", message: "invalid reference format: repository name (user/App) must be lowercase"),
    Refused(input: "localhost:5000/Foo:tag", message: "invalid reference format: repository name (Foo) must be lowercase"),
    Refused(input: "busy!box", message: "invalid reference format"),
    Refused(input: "/busybox", message: "invalid reference format"),
    Refused(input: "busybox/", message: "invalid reference format"),
    Refused(input: "a//b", message: "invalid reference format"),
    Refused(input: "user/app_", message: "invalid reference format"),
    Refused(input: "user/app___x", message: "invalid reference format"),
    Refused(input: "user/app.-x", message: "invalid reference format"),
    Refused(input: "user/-app", message: "invalid reference format"),
    Refused(input: "localhost:abc/x", message: "invalid reference format"),
    Refused(input: "[::1/x", message: "invalid reference format"),
    Refused(input: "-a.com/x", message: "invalid reference format"),
    Refused(input: "a.com:/x", message: "invalid reference format"),
    Refused(input: "busybox@sha256:abc", message: "invalid reference format"),
    Refused(input: "busybox@", message: "invalid reference format"),
    Refused(input: "busybox:-bad", message: #"invalid tag "-bad": a tag is 1 to 128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'"#),
    Refused(input: "busybox:.bad", message: #"invalid tag ".bad": a tag is 1 to 128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'"#),
    Refused(input: "busybox:", message: #"invalid tag "": a tag is 1 to 128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'"#),
    Refused(input: "host:5000/a:b:c", message: #"invalid tag "b:c": a tag is 1 to 128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'"#),
    Refused(input: "busybox:" + String(repeating: "t", count: 129), message: #"invalid tag "\#(String(repeating: "t", count: 129))": a tag is 1 to 128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'"#),
    Refused(input: "busybox@sha256:\(hex.uppercased())", message: #"invalid digest "sha256:\#(hex.uppercased())": 'C' is not a lowercase hex digit"#),
    Refused(input: "busybox@sha256:\(hex.dropLast())", message: #"invalid digest "sha256:\#(hex.dropLast())": sha256 needs 64 hex characters, got 63"#),
    Refused(input: "busybox@md5:d41d8cd98f00b204e9800998ecf8427e", message: #"invalid digest "md5:d41d8cd98f00b204e9800998ecf8427e": unsupported algorithm "md5" (expected sha256 or sha512)"#),
    Refused(input: hex, message: "invalid repository name (\(hex)), cannot specify 64-byte hexadecimal strings"),
    Refused(input: "example.com/" + String(repeating: "a", count: 244), message: "repository name must not be longer than 255 characters"),
]

@Test(arguments: refused)
private func badReferenceSaysWhatIsWrong(_ test: Refused) {
    do {
        let reference = try ImageReference(parsing: test.input)
        Issue.record("\(test.input) parsed as \(reference)")
    } catch {
        #expect(error.description == test.message)
    }
}

@Test func nameOfExactly255CharactersIsAccepted() throws {
    let reference = try ImageReference(parsing: "example.com/" + String(repeating: "a", count: 243 - 1))
    #expect(reference.name.count == 254)
    let longest = try ImageReference(parsing: "example.com/" + String(repeating: "a", count: 243 - 1) + "b")
    #expect(longest.name.count == 255)
}

@Test func referenceExposesItsParts() throws {
    let reference = try ImageReference(parsing: "host:5000/a/b:tag@sha256:\(hex)")
    #expect(reference.domain == "host:5000")
    #expect(reference.path == "a/b")
    #expect(reference.name == "host:5000/a/b")
    #expect(reference.familiarName == "host:5000/a/b")
    #expect(reference.tag == "tag")
    #expect(reference.digest == (try Digest(parsing: "sha256:\(hex)")))
    #expect(!reference.isDockerHub)

    let hub = try ImageReference(parsing: "busybox")
    #expect(hub.domain == "docker.io")
    #expect(hub.path == "library/busybox")
    #expect(hub.name == "docker.io/library/busybox")
    #expect(hub.familiarName == "busybox")
    #expect(hub.tag == "latest")
    #expect(hub.digest == nil)
    #expect(hub.isDockerHub)

    let pinned = try ImageReference(parsing: "user/app@sha256:\(hex)")
    #expect(pinned.tag == nil)
    #expect(pinned.familiarName == "user/app")
}

@Test func withTagAndWithDigestKeepTheOtherPart() throws {
    let digest = try Digest(parsing: "sha256:\(hex)")
    let reference = try ImageReference(parsing: "busybox")
    let tagged = try reference.withTag("1.36")
    #expect(tagged.string == "docker.io/library/busybox:1.36")
    let both = tagged.withDigest(digest)
    #expect(both.string == "docker.io/library/busybox:1.36@sha256:\(hex)")
    #expect(try both.withTag("v2").string == "docker.io/library/busybox:v2@sha256:\(hex)")
    #expect(both.repositoryOnly.string == "docker.io/library/busybox")
    #expect(throws: ReferenceError.invalidTag("bad tag")) { try reference.withTag("bad tag") }
}

@Test func referenceFromPartsIsValidated() throws {
    let reference = try ImageReference(domain: "localhost:5000", path: "a/b", tag: "v1")
    #expect(reference.string == "localhost:5000/a/b:v1")
    #expect(throws: ReferenceError.invalidFormat) { try ImageReference(domain: "localhost:5000", path: "A") }
    #expect(throws: ReferenceError.invalidFormat) { try ImageReference(domain: "bad_host", path: "a") }
    #expect(throws: ReferenceError.invalidTag("-x")) { try ImageReference(domain: "docker.io", path: "a", tag: "-x") }
}

@Test func referenceCodesAsItsNormalizedString() throws {
    let reference = try ImageReference(parsing: "user/app:v1")
    let data = try JSONEncoder().encode([reference])
    #expect(String(decoding: data, as: UTF8.self) == #"["docker.io\/user\/app:v1"]"# || String(decoding: data, as: UTF8.self) == #"["docker.io/user/app:v1"]"#)
    #expect(try JSONDecoder().decode([ImageReference].self, from: data) == [reference])
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([ImageReference].self, from: Data(#"["Bad"]"#.utf8)) }
}
