import Foundation
import Testing

@testable import OCI

@Test func containerStateDecodesRuncStateOutput() throws {
    let json = #"{"ociVersion":"1.1.0","id":"web","status":"paused","pid":4242,"bundle":"/run/b/web","annotations":{"a":"b"}}"#
    let state = try ContainerState.decode(from: Data(json.utf8))
    #expect(state == ContainerState(id: "web", status: .paused, pid: 4242, bundle: "/run/b/web", annotations: ["a": "b"]))
}

@Test func stoppedStateWithoutPidEncodesWithoutPid() throws {
    let state = ContainerState(id: "x", status: .stopped, bundle: "/b")
    let text = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
    #expect(!text.contains("pid"))
    #expect(!text.contains("null"))
}

@Test func unknownContainerStatusIsNamed() {
    let json = #"{"ociVersion":"1.1.0","id":"web","status":"sleeping","bundle":"/b"}"#
    #expect(throws: SpecError(path: "status", message: #"unknown container status "sleeping""#)) {
        try ContainerState.decode(from: Data(json.utf8))
    }
}
