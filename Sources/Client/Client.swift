// Client target; see docs/architecture.md.
