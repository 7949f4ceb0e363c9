// Module OCI: Codable types of the OCI specs (runtime-spec 1.1 under Runtime/). No I/O.
