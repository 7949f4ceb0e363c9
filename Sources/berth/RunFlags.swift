import ArgumentParser
import Client

/// The flags `run` and `create` share, named as docker names them.
struct ContainerFlags: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Keep STDIN open even if not attached") var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-TTY") var tty = false
    @Option(name: .shortAndLong, help: "Set environment variables") var env: [String] = []
    @Option(name: .customLong("env-file"), help: "Read in a file of environment variables") var envFile: [String] = []
    @Option(name: .shortAndLong, help: "Working directory inside the container") var workdir: String?
    @Option(name: .shortAndLong, help: "Username or UID (format: <name|uid>[:<group|gid>])") var user: String?
    @Option(help: "Overwrite the default ENTRYPOINT of the image") var entrypoint: String?
    @Option(name: [.customShort("h"), .long], help: "Container host name") var hostname: String?
    @Option(help: "Assign a name to the container") var name: String?
    @Option(name: .shortAndLong, help: "Set meta data on a container") var label: [String] = []
    @Option(name: .customLong("label-file"), help: "Read in a line delimited file of labels") var labelFile: [String] = []
    @Option(name: .shortAndLong, help: "Bind mount a volume") var volume: [String] = []
    @Option(help: "Attach a filesystem mount to the container") var mount: [String] = []
    @Option(help: "Mount a tmpfs directory") var tmpfs: [String] = []
    @Flag(name: .customLong("read-only"), help: "Mount the container's root filesystem as read only") var readOnly = false
    @Option(name: .shortAndLong, help: "Memory limit") var memory: String?
    @Option(name: .customLong("memory-swap"), help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap") var memorySwap: String?
    @Option(help: "Number of CPUs") var cpus: String?
    @Option(name: [.customShort("c"), .customLong("cpu-shares")], help: "CPU shares (relative weight)") var cpuShares: Int64?
    @Option(name: .customLong("cpuset-cpus"), help: "CPUs in which to allow execution (0-3, 0,1)") var cpusetCpus: String?
    @Option(name: .customLong("pids-limit"), help: "Tune container pids limit (set -1 for unlimited)") var pidsLimit: Int64?
    @Option(help: "Ulimit options") var ulimit: [String] = []
    @Option(name: .customLong("cap-add"), help: "Add Linux capabilities") var capAdd: [String] = []
    @Option(name: .customLong("cap-drop"), help: "Drop Linux capabilities") var capDrop: [String] = []
    @Flag(help: "Give extended privileges to this container") var privileged = false
    @Option(name: .customLong("security-opt"), help: "Security Options") var securityOpt: [String] = []
    @Flag(name: .customLong("init"), help: "Run an init inside the container that forwards signals and reaps processes") var initProcess = false
    @Option(name: .customLong("stop-signal"), help: "Signal to stop the container") var stopSignal: String?
    @Option(name: .customLong("stop-timeout"), help: "Timeout (in seconds) to stop a container") var stopTimeout: Int?
    @Option(help: "Restart policy to apply when a container exits") var restart: String?
    @Option(name: .customLong("group-add"), help: "Add additional groups to join") var groupAdd: [String] = []
    @Flag(name: .customLong("rm"), help: "Automatically remove the container and its associated anonymous volumes when it exits") var autoRemove = false
    @Option(name: [.customShort("p"), .customLong("publish")], help: "Publish a container's port(s) to the host") var publish: [String] = []
    @Flag(name: [.customShort("P"), .customLong("publish-all")], help: "Publish all exposed ports to random ports") var publishAll = false
    @Option(help: "Expose a port or a range of ports") var expose: [String] = []
    @Option(name: [.customLong("network"), .customLong("net")], help: "Connect a container to a network") var network: String?
    @Option(name: [.customLong("network-alias"), .customLong("net-alias")], help: "Add network-scoped alias for the container") var networkAlias: [String] = []
    @Option(help: "IPv4 address (e.g., 172.30.100.104)") var ip: String?
    @Option(name: .customLong("add-host"), help: "Add a custom host-to-IP mapping (host:ip)") var addHost: [String] = []
    @Option(help: "Set custom DNS servers") var dns: [String] = []
    @Option(name: .shortAndLong, help: "Attach to STDIN, STDOUT or STDERR") var attach: [String] = []
    @Option(name: .customLong("detach-keys"), help: "Override the key sequence for detaching a container") var detachKeys: String?
    @Option(help: "Set platform if server is multi-platform capable") var platform: String?
    @Option(help: "Pull image before running (\"always\", \"missing\", \"never\")") var pull: String = "missing"
    @Flag(name: .shortAndLong, help: "Suppress the pull output") var quiet = false

    /// The image and the command after it; flags stop at the image, as docker's do.
    @Argument(parsing: .captureForPassthrough, help: "IMAGE [COMMAND] [ARG...]") var imageAndCommand: [String] = []

    /// The values as the Client's `RunOptions`.
    func options(detach: Bool, command: any ParsableCommand.Type = RunCommand.self) throws -> RunOptions {
        if imageAndCommand.first == "--help" { throw CleanExit.helpRequest(command) }
        guard let image = imageAndCommand.first else {
            throw UsageError.atLeast(1, "berth run")
        }
        if image.hasPrefix("-") && image != "-" { throw UsageError("unknown flag: \(image)") }
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
        o.image = image
        o.command = Array(imageAndCommand.dropFirst())
        return o
    }
}
