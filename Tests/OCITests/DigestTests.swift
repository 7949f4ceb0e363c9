import Foundation
import Testing

@testable import OCI

private let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
private let emptySHA512 =
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"

@Test func sha256DigestParsesIntoAlgorithmAndHex() throws {
    let digest = try Digest(parsing: "sha256:\(emptySHA256)")
    #expect(digest.algorithm == .sha256)
    #expect(digest.encoded == emptySHA256)
    #expect(digest.hex == emptySHA256)
    #expect(digest.string == "sha256:\(emptySHA256)")
    #expect("\(digest)" == "sha256:\(emptySHA256)")
    #expect(digest.shortID == "e3b0c44298fc")
}

@Test func sha512DigestNeeds128HexCharacters() throws {
    let digest = try Digest(parsing: "sha512:\(emptySHA512)")
    #expect(digest.algorithm == .sha512)
    #expect(DigestAlgorithm.sha512.hexLength == 128)
    #expect(throws: DigestError.wrongLength("sha512:\(emptySHA256)", algorithm: .sha512, count: 64)) {
        try Digest(parsing: "sha512:\(emptySHA256)")
    }
}

@Test func shortSha256DigestSaysHowManyCharactersItHas() {
    #expect(throws: DigestError.self) { try Digest(parsing: "sha256:abc") }
    do {
        _ = try Digest(parsing: "sha256:abc")
    } catch {
        #expect(error.description == #"invalid digest "sha256:abc": sha256 needs 64 hex characters, got 3"#)
    }
}

@Test func malformedDigestsNameWhatIsWrong() {
    let cases: [(String, String)] = [
        (emptySHA256, #"invalid digest "\#(emptySHA256)": expected algorithm:hex, e.g. sha256:<64 hex characters>"#),
        ("md5:d41d8cd98f00b204e9800998ecf8427e", #"invalid digest "md5:d41d8cd98f00b204e9800998ecf8427e": unsupported algorithm "md5" (expected sha256 or sha512)"#),
        (":\(emptySHA256)", #"invalid digest ":\#(emptySHA256)": the algorithm is missing before ':'"#),
        ("sha256:\(emptySHA256.uppercased())", #"invalid digest "sha256:\#(emptySHA256.uppercased())": 'E' is not a lowercase hex digit"#),
        ("sha256:\(emptySHA256)0", #"invalid digest "sha256:\#(emptySHA256)0": sha256 needs 64 hex characters, got 65"#),
        ("SHA256:\(emptySHA256)", #"invalid digest "SHA256:\#(emptySHA256)": unsupported algorithm "SHA256" (expected sha256 or sha512)"#),
        ("sha256:", #"invalid digest "sha256:": sha256 needs 64 hex characters, got 0"#),
        ("sha256:\(emptySHA256.dropLast())g", #"invalid digest "sha256:\#(emptySHA256.dropLast())g": 'g' is not a lowercase hex digit"#),
    ]
    for (input, message) in cases {
        do {
            _ = try Digest(parsing: input)
            Issue.record("\(input) parsed")
        } catch {
            #expect(error.description == message)
            #expect(error.input == input)
        }
    }
}

@Test func digestFromRawBytesIsLowercaseHex() throws {
    let bytes: [UInt8] = [0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
                          0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55]
    let digest = Digest(algorithm: .sha256, bytes: bytes)
    #expect(digest == (try Digest(parsing: "sha256:\(emptySHA256)")))
    #expect(digest.bytes == bytes)
    let zeros = Digest(algorithm: .sha512, bytes: [UInt8](repeating: 0, count: 64))
    #expect(zeros.encoded == String(repeating: "0", count: 128))
}

@Test func digestCodesAsAJSONString() throws {
    let digest = try Digest(parsing: "sha256:\(emptySHA256)")
    let data = try JSONEncoder().encode([digest])
    #expect(String(decoding: data, as: UTF8.self) == #"["sha256:\#(emptySHA256)"]"#)
    #expect(try JSONDecoder().decode([Digest].self, from: data) == [digest])
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([Digest].self, from: Data(#"["sha256:abc"]"#.utf8)) }
}

@Test func digestsAreHashableAndOrdered() throws {
    let a = try Digest(parsing: "sha256:" + String(repeating: "a", count: 64))
    let b = try Digest(parsing: "sha256:" + String(repeating: "b", count: 64))
    #expect(Set([a, b, a]).count == 2)
    #expect([b, a].sorted() == [a, b])
}
