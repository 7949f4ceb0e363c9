import HTTPTypes

extension HTTPField.Name {
    /// The digest of the content a response carries or a request created.
    static let dockerContentDigest = Self("Docker-Content-Digest")!
    /// The API version marker of `/v2/`.
    static let dockerDistributionAPIVersion = Self("Docker-Distribution-API-Version")!
    /// An upload's UUID.
    static let dockerUploadUUID = Self("Docker-Upload-UUID")!
    /// The subject of a manifest that was put with one.
    static let ociSubject = Self("OCI-Subject")!
    /// The filters a referrers answer applied.
    static let ociFiltersApplied = Self("OCI-Filters-Applied")!
    /// The next page of a paginated list.
    static let link = Self("Link")!
}
