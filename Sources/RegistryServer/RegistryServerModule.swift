/// The OCI Distribution server behind `berth-registry` (issue 7).
public enum RegistryServerModule {}
