// DockerAPI target; see docs/architecture.md.
