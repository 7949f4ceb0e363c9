import ArgumentParser
import Client

/// The flags `run` and `create` share, named as docker names them. A flag that takes a value
/// takes the next argument whatever it looks like (`--memory-swap -1`, `-e -x`), as docker's
/// pflag does.
public struct ContainerFlags: ParsableArguments {
    public init() {}

    @Flag(name: .shortAndLong, help: "Keep STDIN open even if not attached") public var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-TTY") public var tty = false
    @Option(name: .shortAndLong, parsing: .unconditionalSingleValue, help: "Set environment variables") public var env: [String] = []
    @Option(name: .customLong("env-file"), parsing: .unconditionalSingleValue, help: "Read in a file of environment variables") public var envFile: [String] = []
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Working directory inside the container") public var workdir: String?
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Username or UID (format: <name|uid>[:<group|gid>])") public var user: String?
    @Option(parsing: .unconditional, help: "Overwrite the default ENTRYPOINT of the image") public var entrypoint: String?
    @Option(name: [.customShort("h"), .long], parsing: .unconditional, help: "Container host name") public var hostname: String?
    @Option(parsing: .unconditional, help: "Assign a name to the container") public var name: String?
    @Option(name: .shortAndLong, parsing: .unconditionalSingleValue, help: "Set meta data on a container") public var label: [String] = []
    @Option(name: .customLong("label-file"), parsing: .unconditionalSingleValue, help: "Read in a line delimited file of labels") public var labelFile: [String] = []
    @Option(name: .shortAndLong, parsing: .unconditionalSingleValue, help: "Bind mount a volume") public var volume: [String] = []
    @Option(parsing: .unconditionalSingleValue, help: "Attach a filesystem mount to the container") public var mount: [String] = []
    @Option(parsing: .unconditionalSingleValue, help: "Mount a tmpfs directory") public var tmpfs: [String] = []
    @Flag(name: .customLong("read-only"), help: "Mount the container's root filesystem as read only") public var readOnly = false
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Memory limit") public var memory: String?
    @Option(name: .customLong("memory-swap"), parsing: .unconditional, help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap") public var memorySwap: String?
    @Option(parsing: .unconditional, help: "Number of CPUs") public var cpus: String?
    @Option(name: [.customShort("c"), .customLong("cpu-shares")], parsing: .unconditional, help: "CPU shares (relative weight)") public var cpuShares: Int64?
    @Option(name: .customLong("cpuset-cpus"), parsing: .unconditional, help: "CPUs in which to allow execution (0-3, 0,1)") public var cpusetCpus: String?
    @Option(name: .customLong("pids-limit"), parsing: .unconditional, help: "Tune container pids limit (set -1 for unlimited)") public var pidsLimit: Int64?
    @Option(parsing: .unconditionalSingleValue, help: "Ulimit options") public var ulimit: [String] = []
    @Option(name: .customLong("cap-add"), parsing: .unconditionalSingleValue, help: "Add Linux capabilities") public var capAdd: [String] = []
    @Option(name: .customLong("cap-drop"), parsing: .unconditionalSingleValue, help: "Drop Linux capabilities") public var capDrop: [String] = []
    @Flag(help: "Give extended privileges to this container") public var privileged = false
    @Option(name: .customLong("security-opt"), parsing: .unconditionalSingleValue, help: "Security Options") public var securityOpt: [String] = []
    @Flag(name: .customLong("init"), help: "Run an init inside the container that forwards signals and reaps processes") public var initProcess = false
    @Option(name: .customLong("stop-signal"), parsing: .unconditional, help: "Signal to stop the container") public var stopSignal: String?
    @Option(name: .customLong("stop-timeout"), parsing: .unconditional, help: "Timeout (in seconds) to stop a container") public var stopTimeout: Int?
    @Option(parsing: .unconditional, help: "Restart policy to apply when a container exits") public var restart: String?
    @Option(name: .customLong("group-add"), parsing: .unconditionalSingleValue, help: "Add additional groups to join") public var groupAdd: [String] = []
    @Flag(name: .customLong("rm"), help: "Automatically remove the container and its associated anonymous volumes when it exits") public var autoRemove = false
    @Option(name: [.customShort("p"), .customLong("publish")], parsing: .unconditionalSingleValue, help: "Publish a container's port(s) to the host") public var publish: [String] = []
    @Flag(name: [.customShort("P"), .customLong("publish-all")], help: "Publish all exposed ports to random ports") public var publishAll = false
    @Option(parsing: .unconditionalSingleValue, help: "Expose a port or a range of ports") public var expose: [String] = []
    @Option(name: [.customLong("network"), .customLong("net")], parsing: .unconditional, help: "Connect a container to a network") public var network: String?
    @Option(name: [.customLong("network-alias"), .customLong("net-alias")], parsing: .unconditionalSingleValue, help: "Add network-scoped alias for the container") public var networkAlias: [String] = []
    @Option(parsing: .unconditional, help: "IPv4 address (e.g., 172.30.100.104)") public var ip: String?
    @Option(name: .customLong("add-host"), parsing: .unconditionalSingleValue, help: "Add a custom host-to-IP mapping (host:ip)") public var addHost: [String] = []
    @Option(parsing: .unconditionalSingleValue, help: "Set custom DNS servers") public var dns: [String] = []
    @Option(name: .shortAndLong, parsing: .unconditionalSingleValue, help: "Attach to STDIN, STDOUT or STDERR") public var attach: [String] = []
    @Option(name: .customLong("detach-keys"), parsing: .unconditional, help: "Override the key sequence for detaching a container") public var detachKeys: String?
    @Option(parsing: .unconditional, help: "Set platform if server is multi-platform capable") public var platform: String?
    @Option(parsing: .unconditional, help: "Pull image before running (\"always\", \"missing\", \"never\")") public var pull: String = "missing"
    @Flag(name: .shortAndLong, help: "Suppress the pull output") public var quiet = false

    /// The image and the command after it; flags stop at the image, as docker's do.
    @Argument(parsing: .captureForPassthrough, help: "IMAGE [COMMAND] [ARG...]") public var imageAndCommand: [String] = []

    /// The values in the shape `FastRunArguments` reads them into, so both readers end in one
    /// run (the image and command as given; berth checks them first).
    public func arguments(detach: Bool) -> FastRunArguments {
        var a = FastRunArguments()
        a.options = runOptions(detach: detach)
        a.detachKeys = detachKeys
        a.pull = pull
        a.quiet = quiet
        return a
    }

    /// The values as the Client's `RunOptions` (the image and command as given; berth's
    /// `options(detach:command:)` checks them first).
    public func runOptions(detach: Bool) -> RunOptions {
        var o = RunOptions()
        o.detach = detach; o.interactive = interactive; o.tty = tty; o.env = env; o.envFiles = envFile
        o.workdir = workdir; o.user = user; o.entrypoint = entrypoint; o.hostname = hostname; o.name = name
        o.labels = label; o.labelFiles = labelFile; o.volumes = volume; o.mounts = mount; o.tmpfs = tmpfs
        o.readOnly = readOnly; o.memory = memory; o.memorySwap = memorySwap; o.cpus = cpus; o.cpuShares = cpuShares
        o.cpusetCpus = cpusetCpus; o.pidsLimit = pidsLimit; o.ulimits = ulimit; o.capAdd = capAdd; o.capDrop = capDrop
        o.privileged = privileged; o.securityOpt = securityOpt; o.initProcess = initProcess; o.stopSignal = stopSignal
        o.stopTimeout = stopTimeout; o.restart = restart; o.groupAdd = groupAdd; o.autoRemove = autoRemove
        o.publish = publish; o.publishAll = publishAll; o.expose = expose; o.network = network; o.networkAliases = networkAlias; o.ip = ip; o.addHost = addHost
        o.dns = dns; o.attach = attach; o.platform = platform
        o.image = imageAndCommand.first ?? ""
        o.command = Array(imageAndCommand.dropFirst())
        return o
    }
}
