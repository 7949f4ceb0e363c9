import Glibc

/// Unix stream sockets: a listener with a 0600 path, non-blocking accepts, and receiving a
/// descriptor sent with SCM_RIGHTS (runc's console-socket protocol).
enum UnixSocket {
    /// Listens on `path` (replacing a stale socket) with mode 0600. A path too long for
    /// sockaddr_un is reached through /proc/self/fd/<dirFD>/<name>.
    static func listen(path: String, dirFD: Int32, name: String) throws(SystemError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        if fd < 0 { throw SystemError("socket", path) }
        unlinkat(dirFD, name, 0)
        let target = path.utf8.count < 108 ? path : "/proc/self/fd/\(dirFD)/\(name)"
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(target.utf8)
        guard bytes.count < 108 else {
            close(fd)
            throw SystemError("bind", path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        // umask keeps the socket 0600 from the start (no chmod window).
        let old = umask(0o177)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let bindErrno = errno
        umask(old)
        if bound != 0 {
            close(fd)
            throw SystemError("bind", path, errno: bindErrno)
        }
        if Glibc.listen(fd, 64) != 0 {
            let e = errno
            close(fd)
            throw SystemError("listen", path, errno: e)
        }
        return fd
    }

    /// Accepts one connection, non-blocking and close-on-exec; nil when none is pending.
    static func accept(_ listener: Int32) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 {
                Sys.setCloseOnExec(fd)
                Sys.setNonBlocking(fd)
                return fd
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            return nil
        }
    }

    /// Receives one descriptor sent with SCM_RIGHTS on `conn` (waits up to `timeoutMillis`).
    static func receiveDescriptor(_ conn: Int32, path: String, timeoutMillis: Int32) throws(SystemError) -> Int32 {
        var pfd = pollfd(fd: conn, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat { ready = poll(&pfd, 1, timeoutMillis) } while ready < 0 && errno == EINTR
        if ready == 0 { throw SystemError("waiting for the pty master on", path, errno: ETIMEDOUT) }
        // struct cmsghdr is { size_t len; int level; int type; } then the data (16 bytes on LP64).
        let headerSize = MemoryLayout<Int>.size + 8
        let control = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { control.deallocate() }
        control.initializeMemory(as: UInt8.self, repeating: 0)
        var data: UInt8 = 0
        var received: Int = -1
        withUnsafeMutablePointer(to: &data) { dataPointer in
            var iov = iovec(iov_base: UnsafeMutableRawPointer(dataPointer), iov_len: 1)
            withUnsafeMutablePointer(to: &iov) { iovPointer in
                var msg = msghdr()
                msg.msg_iov = iovPointer
                msg.msg_iovlen = 1
                msg.msg_control = control.baseAddress
                msg.msg_controllen = control.count
                repeat { received = recvmsg(conn, &msg, Int32(MSG_CMSG_CLOEXEC)) } while received < 0 && errno == EINTR
                if received >= 0 && msg.msg_controllen < headerSize + 4 { received = -2 }
            }
        }
        if received == -1 { throw SystemError("recvmsg", path) }
        if received == 0 { throw SystemError("receiving the pty master on", path, errno: EPIPE) }
        let length = control.load(fromByteOffset: 0, as: Int.self)
        let level = control.load(fromByteOffset: MemoryLayout<Int>.size, as: Int32.self)
        let type = control.load(fromByteOffset: MemoryLayout<Int>.size + 4, as: Int32.self)
        guard received > 0, level == SOL_SOCKET, type == Int32(SCM_RIGHTS), length >= headerSize + 4 else {
            throw SystemError("receiving the pty master on", path, errno: EPROTO)
        }
        let count = (length - headerSize) / 4
        let fd = control.load(fromByteOffset: headerSize, as: Int32.self)
        for k in 1..<max(count, 1) { close(control.load(fromByteOffset: headerSize + 4 * k, as: Int32.self)) }
        return fd
    }
}
