// The pure half of the builder (Dockerfile parser, shell lexer, instructions, stages and plan,
// per-instruction config effects, .dockerignore rules) is its own target so the berth CLI can use
// it without linking the executor's image store (GRDB, SQLite, libarchive). Users of `Build` see it too.
@_exported import DockerfileCore
