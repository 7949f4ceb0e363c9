import Testing
@testable import Distribution

@Suite struct AuthChallengeTests {
    @Test func bearerChallengeWithQuotedParameters() {
        let challenges = AuthChallenge.parse(#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#)
        #expect(challenges.count == 1)
        let c = challenges[0]
        #expect(c.scheme == "bearer")
        #expect(c.realm == "https://auth.docker.io/token")
        #expect(c.service == "registry.docker.io")
        #expect(c.scope == "repository:library/busybox:pull")
    }

    @Test func basicChallengeAndSchemeCase() {
        let challenges = AuthChallenge.parse(#"BASIC realm="basic-realm""#)
        #expect(challenges == [AuthChallenge(scheme: "basic", parameters: ["realm": "basic-realm"])])
    }

    @Test func severalChallengesInOneHeaderAndEscapes() {
        let challenges = AuthChallenge.parse(#"Bearer realm="http://127.0.0.1:1/t", service = "a\"b", Basic realm=plain"#)
        #expect(challenges.map(\.scheme) == ["bearer", "basic"])
        #expect(challenges[0].service == #"a"b"#)
        #expect(challenges[1].realm == "plain")
    }

    @Test func scopeWithCommaInsideQuotesStaysWhole() {
        let c = AuthChallenge.parse(#"Bearer realm="r",scope="repository:a/b:pull,push""#)
        #expect(c.first?.scope == "repository:a/b:pull,push")
        #expect(c.count == 1)
    }

    @Test func emptyAndMalformedHeaders() {
        #expect(AuthChallenge.parse("").isEmpty)
        #expect(AuthChallenge.parse("  ,  ").isEmpty)
        #expect(AuthChallenge.parse("Negotiate").map(\.scheme) == ["negotiate"])
    }
}
