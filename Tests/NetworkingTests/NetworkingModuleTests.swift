import Testing
@testable import Networking

@Test func moduleLinks() { _ = NetworkingModule.self }
