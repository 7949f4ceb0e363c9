// Engine target; see docs/architecture.md.
