import Client

/// The `X-Registry-Config` header from the stored credentials (`berth login`), as docker sends it.
func buildRegistryConfig() throws -> String? {
    let file = CredentialFile.standard()
    do {
        return try file.registryConfigHeader()
    } catch {
        throw CLIExit(1, "reading the credentials in \(file.path): \(error)")
    }
}
