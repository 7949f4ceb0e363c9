/// Container networking (issue 5): see docs/architecture.md, "Networking".
public enum NetworkingModule {}
