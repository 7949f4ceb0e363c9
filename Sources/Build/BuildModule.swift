/// The builder (issue 6): Dockerfile parsing, planning, cache and execution.
public enum BuildModule {}
