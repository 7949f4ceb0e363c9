import Testing
@testable import RegistryServer

@Test func moduleLinks() { _ = Registry.self }
