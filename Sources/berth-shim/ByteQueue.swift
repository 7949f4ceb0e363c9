import Glibc

/// Bytes waiting to be written to a non-blocking descriptor (a client socket, the stdin pipe).
struct ByteQueue {
    private var storage: [UInt8] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        storage.append(contentsOf: bytes)
    }

    mutating func append(_ text: String) {
        storage.append(contentsOf: text.utf8)
    }

    /// Writes as much as the descriptor takes now. Returns false when the descriptor failed
    /// (EPIPE, ECONNRESET, ...), with the errno in `error`.
    mutating func flush(to fd: Int32, error: inout Int32) -> Bool {
        while !isEmpty {
            let n = storage.withUnsafeBytes { raw in
                Sys.writeSome(fd, UnsafeRawBufferPointer(rebasing: raw[head...]))
            }
            if n < 0 {
                error = Int32(-n)
                return false
            }
            if n == 0 { break }
            head += n
        }
        compact()
        return true
    }

    mutating func removeAll() {
        storage = []
        head = 0
    }

    /// Drops written bytes; gives memory back once a burst has passed.
    private mutating func compact() {
        if isEmpty {
            if storage.capacity > 64 * 1024 { storage = [] } else { storage.removeAll(keepingCapacity: true) }
            head = 0
        } else if head > 64 * 1024 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
