// Module OCI.
