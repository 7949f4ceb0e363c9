// EngineAPI target; see docs/architecture.md.
