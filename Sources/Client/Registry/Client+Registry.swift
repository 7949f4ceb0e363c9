import DockerAPI
import Foundation

/// Registry operations through the daemon: pull, push, login.
extension BerthClient {
    /// `POST /images/create?fromImage=&tag=` with `X-Registry-Auth`: a pull, answered with a JSON-message stream.
    public func pullImage(_ image: String, tag: String?, platform: String? = nil, registryAuth: String?) throws -> HTTPResponse {
        try send("POST", "/images/create", query: [("fromImage", image), ("tag", tag), ("platform", platform)],
                 headers: registryAuth.map { [("X-Registry-Auth", $0)] } ?? [])
    }

    /// `POST /images/{name}/push?tag=` with `X-Registry-Auth` (required by dockerd; `e30=` is anonymous).
    public func pushImage(_ name: String, tag: String?, registryAuth: String?) throws -> HTTPResponse {
        try send("POST", Self.imagePath(name) + "/push", query: [("tag", tag)],
                 headers: [("X-Registry-Auth", registryAuth ?? "e30=")])
    }

    /// `POST /auth`: the daemon checks the credentials at the registry; returns its status text.
    public func login(_ credentials: StoredCredentials, serverAddress: String) throws -> String {
        struct Body: Encodable { var username: String; var password: String; var serveraddress: String }
        struct Answer: Decodable { var Status: String? }
        let response = try send("POST", "/auth", json: Body(username: credentials.username, password: credentials.password,
                                                             serveraddress: serverAddress))
        let bytes = try response.body.readAll()
        return (try? JSONDecoder().decode(Answer.self, from: Data(bytes)))?.Status ?? "Login Succeeded"
    }
}
