import Testing
@testable import Build

@Test func moduleLinks() { _ = BuildModule.self }
