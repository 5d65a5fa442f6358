import Glibc

/// A netlink socket address, kept in a `sockaddr_storage` so it can be passed to
/// `bind`/`sendto`/`recvfrom` as a `struct sockaddr`.
///
/// Mirrors `struct sockaddr_nl` in linux/netlink.h: `nl_family` (u16, `AF_NETLINK`), a pad
/// u16, `nl_pid` (u32, the port id; 0 is the kernel) and `nl_groups` (u32, multicast groups).
struct NetlinkSocketAddress {
    /// `sizeof(struct sockaddr_nl)`.
    static let size = 12

    private var storage = sockaddr_storage()

    /// An empty address (family 0), to be filled by `recvfrom`.
    init() {}

    /// `AF_NETLINK` with `nl_pid` = `portID` and no groups.
    init(portID: UInt32) {
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.storeBytes(of: UInt16(AF_NETLINK), toByteOffset: 0, as: UInt16.self)
            raw.storeBytes(of: portID, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: UInt32(0), toByteOffset: 8, as: UInt32.self)
        }
    }

    /// The kernel's address (port id 0), also what `bind` uses to let the kernel choose.
    static var kernel: NetlinkSocketAddress { NetlinkSocketAddress(portID: 0) }

    /// `nl_pid`.
    var portID: UInt32 {
        withUnsafeBytes(of: storage) { $0.load(fromByteOffset: 4, as: UInt32.self) }
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    mutating func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(Self.size)) }
        }
    }

    /// Calls `body` with a writable `sockaddr` pointer and a length in/out value (for `recvfrom`).
    mutating func withMutableSockaddr<R>(_ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> R) -> R {
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) }
        }
    }
}
