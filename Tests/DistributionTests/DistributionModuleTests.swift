import Testing
@testable import Distribution

@Test func moduleLinks() { _ = DistributionModule.self }
