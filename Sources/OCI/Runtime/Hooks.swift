/// Commands run at points of the container lifecycle.
public struct Hooks: Codable, Sendable, Equatable {
    /// Deprecated: run after the runtime environment is created, in the runtime namespace.
    public var prestart: [Hook]?
    /// Run during `create` after the environment exists, in the runtime namespace.
    public var createRuntime: [Hook]?
    /// Run during `create` in the container namespace, before pivot_root.
    public var createContainer: [Hook]?
    /// Run during `start` in the container namespace, before the user process.
    public var startContainer: [Hook]?
    /// Run after the user process started.
    public var poststart: [Hook]?
    /// Run after the container was deleted.
    public var poststop: [Hook]?

    /// Creates a set of hooks.
    public init(
        prestart: [Hook]? = nil,
        createRuntime: [Hook]? = nil,
        createContainer: [Hook]? = nil,
        startContainer: [Hook]? = nil,
        poststart: [Hook]? = nil,
        poststop: [Hook]? = nil
    ) {
        self.prestart = prestart
        self.createRuntime = createRuntime
        self.createContainer = createContainer
        self.startContainer = startContainer
        self.poststart = poststart
        self.poststop = poststop
    }
}

/// One hook command; it receives the container state on stdin.
public struct Hook: Codable, Sendable, Equatable {
    /// Absolute path of the executable.
    public var path: String
    /// Arguments, including argv[0].
    public var args: [String]?
    /// Environment, as `KEY=value` strings.
    public var env: [String]?
    /// Seconds before the hook is aborted; must be positive.
    public var timeout: Int?

    /// Creates a hook.
    public init(path: String, args: [String]? = nil, env: [String]? = nil, timeout: Int? = nil) {
        self.path = path
        self.args = args
        self.env = env
        self.timeout = timeout
    }
}
