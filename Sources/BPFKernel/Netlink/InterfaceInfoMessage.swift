/// The fixed 16-byte body of every `RTM_*LINK` message, in front of its attributes.
///
/// Mirrors `struct ifinfomsg` in linux/rtnetlink.h: `ifi_family` (u8), a pad byte,
/// `ifi_type` (u16, `ARPHRD_*`), `ifi_index` (s32), `ifi_flags` (u32, `IFF_*`) and
/// `ifi_change` (u32), in host byte order.
public struct InterfaceInfoMessage: Sendable, Hashable {
    /// `sizeof(struct ifinfomsg)`.
    public static let size = 16

    /// `ifi_family`: `AF_UNSPEC` for link requests.
    public var family: UInt8
    /// `ifi_type`: the hardware type (`ARPHRD_ETHER` = 1, `ARPHRD_LOOPBACK` = 772, …).
    public var deviceType: UInt16
    /// `ifi_index`: the interface index (0 in a request means "look up by `IFLA_IFNAME`").
    public var index: Int32
    /// `ifi_flags`: `IFF_UP`, `IFF_RUNNING`, … (linux/if.h).
    public var flags: UInt32
    /// `ifi_change`: which `flags` bits a `RTM_SETLINK` changes (0: none).
    public var change: UInt32

    /// Creates a link message body; requests usually only set `index`.
    public init(family: UInt8 = NetlinkAddressFamily.unspecified, deviceType: UInt16 = 0,
                index: Int32, flags: UInt32 = 0, change: UInt32 = 0) {
        self.family = family
        self.deviceType = deviceType
        self.index = index
        self.flags = flags
        self.change = change
    }

    /// The 16 bytes in host byte order.
    public var bytes: [UInt8] {
        let order = ByteOrder.host
        var out = [UInt8](repeating: 0, count: Self.size)
        out[0] = family
        order.store(deviceType, into: &out, at: 2)
        order.store(index, into: &out, at: 4)
        order.store(flags, into: &out, at: 8)
        order.store(change, into: &out, at: 12)
        return out
    }

    /// Reads the structure at relative `offset` of `reader` (bounds-checked).
    public init(from reader: ByteReader, at offset: Int = 0) throws(ParseError) {
        family = try reader.u8(at: offset)
        deviceType = try reader.u16(at: offset + 2)
        index = try reader.i32(at: offset + 4)
        flags = try reader.u32(at: offset + 8)
        change = try reader.u32(at: offset + 12)
    }
}
