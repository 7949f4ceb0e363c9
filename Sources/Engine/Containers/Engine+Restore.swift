import Foundation
import Glibc
import Networking

extension Engine {
    /// Live restore, run once when the daemon starts: every container the database says is
    /// running either still has its shim (re-attach: watch it again) or has ended while the
    /// daemon was away (record the exit the shim wrote, clean up, apply the restart policy).
    /// Containers with `always`/`unless-stopped` that were left down by a host reboot are started.
    public func restore() async {
        await prepareNetworks()
        for record in containers.values where record.isRunning {
            // Hold the published ports again (the DNAT rules outlived the daemon).
            var held: [HostPortReservation] = []
            for mapping in Self.mappings(record.publishedPorts ?? [:]) {
                if let r = try? HostPortReservation.reserve(proto: mapping.proto, hostIP: mapping.hostIP, port: mapping.hostPort) { held.append(r) }
            }
            portReservations[record.id] = held
        }
        for record in containers.values {
            switch record.state.status {
            case .running, .paused:
                let socket = configuration.shimSocket(record.id)
                let alive = await Blocking.run { ShimSocket.request(socket, "status") }
                if let alive, alive.hasPrefix("running") || alive.hasPrefix("created") {
                    logger.info("re-attached to running container", metadata: ["id": "\(record.shortID)"])
                    if !watch(record.id, socket: socket) { await processExited(record.id, .shimLost) }
                } else {
                    logger.info("container ended while the daemon was down", metadata: ["id": "\(record.shortID)"])
                    await processExited(record.id, .shimLost)
                }
            case .restarting:
                await restartByPolicy(record.id)
            case .removing:
                try? await removeContainer(record.id, force: true, volumes: false)
            case .created, .exited, .dead:
                // docker: `always` comes back with the daemon even after a manual stop; `unless-stopped` does not.
                let policy = record.hostConfig.restartPolicy?.name ?? ""
                if record.state.hasBeenStarted,
                   policy == "always" || (policy == "unless-stopped" && !record.state.manuallyStopped) {
                    var current = record
                    try? await launch(&current)
                }
            }
        }
        await sweepNetworkLeftovers()
    }
}
