import Glibc

/// Host ports held for published container ports. Traffic reaches containers through the
/// portmap plugin's DNAT rules, not through these sockets; binding them keeps the port from
/// other host programs (what docker's userland proxy does) and detects a port already in use.
public final class HostPortReservation: @unchecked Sendable {
    /// `tcp` or `udp`.
    public let proto: String
    public let hostIP: String
    public let port: Int
    private var fd: Int32

    init(proto: String, hostIP: String, port: Int, fd: Int32) {
        self.proto = proto; self.hostIP = hostIP; self.port = port; self.fd = fd
    }

    deinit { release() }

    /// Lets the port go.
    public func release() {
        if fd >= 0 { close(fd); fd = -1 }
    }

    /// Why a port could not be held.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var proto: String
        public var hostIP: String
        public var port: Int
        public var errno: Int32
        public var description: String {
            let ip = hostIP.isEmpty ? "0.0.0.0" : hostIP
            return "listen \(proto)4 \(ip):\(port): bind: \(errno == EADDRINUSE ? "address already in use" : String(cString: strerror(errno)))"
        }
    }

    /// Binds `port` (0: one the kernel picks from the ephemeral range) on `hostIP` (empty: all).
    public static func reserve(proto: String, hostIP: String, port: Int) throws(Failure) -> HostPortReservation {
        let type = proto == "udp" ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        let fd = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(proto: proto, hostIP: hostIP, port: port, errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        if let ip = IPv4Address(hostIP.isEmpty ? "0.0.0.0" : hostIP) { address.sin_addr.s_addr = ip.value.bigEndian }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw Failure(proto: proto, hostIP: hostIP, port: port, errno: code)
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return HostPortReservation(proto: proto, hostIP: hostIP, port: Int(UInt16(bigEndian: bound.sin_port)), fd: fd)
    }
}

/// Host-side settings no plugin makes.
public enum HostInterface {
    /// Lets connections to 127.0.0.1:<published port> reach a container: with br_netfilter the
    /// reply is routed in on the veth, which must accept loopback addresses like the bridge
    /// (the portmap plugin sets it on the bridge only).
    public static func enableRouteLocalnet(_ interface: String) {
        guard !interface.isEmpty, !interface.contains("/"), !interface.contains("..") else { return }
        let path = "/proc/sys/net/ipv4/conf/\(interface)/route_localnet"
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = write(fd, "1", 1)
        close(fd)
    }

    /// Creates the network's bridge with its gateway address, up, when missing (docker does
    /// this at network creation; the bridge plugin then adopts it). Its connected route makes
    /// the subnet visible to the next network's choice of a free pool.
    public static func ensureBridge(_ name: String, gateway: String, prefixLength: Int) throws {
        if !exists(name) {
            let add = NetworkRules.execute(ipTool, ["link", "add", "name", name, "type", "bridge"])
            if add.status != 0 && !exists(name) {
                throw CNIFailure(network: name, plugin: "ip", command: "link add", message: add.output)
            }
        }
        _ = NetworkRules.execute(ipTool, ["addr", "replace", "\(gateway)/\(prefixLength)", "dev", name])
        let up = NetworkRules.execute(ipTool, ["link", "set", name, "up"])
        if up.status != 0 { throw CNIFailure(network: name, plugin: "ip", command: "link set up", message: up.output) }
    }

    static var ipTool: String { access("/usr/sbin/ip", X_OK) == 0 ? "/usr/sbin/ip" : "/sbin/ip" }

    /// Deletes a link (a bridge whose network is gone). Missing links are fine.
    public static func deleteLink(_ name: String) {
        guard exists(name) else { return }
        _ = NetworkRules.execute(ipTool, ["link", "delete", name])
    }

    /// True when a link with that name exists.
    public static func exists(_ name: String) -> Bool {
        access("/sys/class/net/\(name)", F_OK) == 0
    }
}
