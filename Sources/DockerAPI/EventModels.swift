/// `GET /events`: one JSON object per line.
public struct EventMessage: Codable, Sendable, Equatable {
    /// `container`, `image`, `volume`, `network`, `daemon`, …
    public var type: String
    /// `create`, `start`, `die`, `exec_start: sh`, …
    public var action: String
    public var actor: Actor
    /// `local` or `swarm`.
    public var scope: String?
    /// Seconds since the epoch.
    public var time: Int64
    /// Nanoseconds since the epoch.
    public var timeNano: Int64
    /// Legacy: the action (containers and images only).
    public var status: String?
    /// Legacy: the actor's ID.
    public var id: String?
    /// Legacy: the container's image.
    public var from: String?

    enum CodingKeys: String, CodingKey {
        case type = "Type", action = "Action", actor = "Actor", scope, time, timeNano, status, id, from
    }

    public init(type: String, action: String, actor: Actor, scope: String? = "local", time: Int64, timeNano: Int64,
                status: String? = nil, id: String? = nil, from: String? = nil) {
        self.type = type; self.action = action; self.actor = actor; self.scope = scope; self.time = time
        self.timeNano = timeNano; self.status = status; self.id = id; self.from = from
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.opt(String.self, .type) ?? ""
        action = try c.opt(String.self, .action) ?? ""
        actor = try c.opt(Actor.self, .actor) ?? Actor(id: "")
        scope = try c.opt(String.self, .scope)
        time = try c.opt(Int64.self, .time) ?? 0
        timeNano = try c.opt(Int64.self, .timeNano) ?? time * 1_000_000_000
        status = try c.opt(String.self, .status)
        id = try c.opt(String.self, .id)
        from = try c.opt(String.self, .from)
    }

    /// What the event is about.
    public struct Actor: Codable, Sendable, Equatable {
        public var id: String
        public var attributes: [String: String]
        enum CodingKeys: String, CodingKey { case id = "ID", attributes = "Attributes" }
        public init(id: String, attributes: [String: String] = [:]) { self.id = id; self.attributes = attributes }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.opt(String.self, .id) ?? ""
            attributes = try c.opt([String: String].self, .attributes) ?? [:]
        }
    }
}
