/// The flags sent with an XDP attach or detach (`IFLA_XDP_FLAGS`, also `BPF_LINK_CREATE`
/// `flags` for XDP links).
///
/// Mirrors `XDP_FLAGS_*` in linux/if_link.h.
public struct XDPFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The 32-bit flag word.
    public let rawValue: UInt32
    /// Wraps a flag word.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `XDP_FLAGS_UPDATE_IF_NOEXIST` (1): fail if a program is already attached in this mode.
    public static let updateIfNotExists = XDPFlags(rawValue: 1 << 0)
    /// `XDP_FLAGS_SKB_MODE` (2): generic XDP, run by the network stack after the skb is built.
    public static let skbMode = XDPFlags(rawValue: 1 << 1)
    /// `XDP_FLAGS_DRV_MODE` (4): native XDP, run by the driver.
    public static let driverMode = XDPFlags(rawValue: 1 << 2)
    /// `XDP_FLAGS_HW_MODE` (8): offloaded to the NIC.
    public static let hardwareMode = XDPFlags(rawValue: 1 << 3)
    /// `XDP_FLAGS_REPLACE` (16): replace only if the attached program is `IFLA_XDP_EXPECTED_FD`.
    public static let replace = XDPFlags(rawValue: 1 << 4)
    /// `XDP_FLAGS_MODES`: the three mode bits.
    public static let modes: XDPFlags = [.skbMode, .driverMode, .hardwareMode]

    /// `"SKB_MODE|UPDATE_IF_NOEXIST"`: the header names without `XDP_FLAGS_`, modes first.
    public var description: String {
        flagNames(rawValue, [
            (XDPFlags.skbMode.rawValue, "SKB_MODE"), (XDPFlags.driverMode.rawValue, "DRV_MODE"),
            (XDPFlags.hardwareMode.rawValue, "HW_MODE"),
            (XDPFlags.updateIfNotExists.rawValue, "UPDATE_IF_NOEXIST"),
            (XDPFlags.replace.rawValue, "REPLACE"),
        ])
    }
}

/// Where an XDP program runs, as asked for when attaching or detaching.
///
/// Each case selects one `XDP_FLAGS_*_MODE` bit of linux/if_link.h (or none for ``auto``).
public enum XDPMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// No mode bit: the kernel picks native if the driver supports it, else generic.
    case auto
    /// `XDP_FLAGS_DRV_MODE`: in the driver, before an skb exists (fastest; driver support needed).
    case native
    /// `XDP_FLAGS_SKB_MODE`: in the network stack; works on every interface.
    case generic
    /// `XDP_FLAGS_HW_MODE`: offloaded to a SmartNIC.
    case offload

    /// The mode bit for this mode (empty for ``auto``).
    public var flags: XDPFlags {
        switch self {
        case .auto: []
        case .native: .driverMode
        case .generic: .skbMode
        case .offload: .hardwareMode
        }
    }

    /// The mode's name (`auto`, `native`, `generic`, `offload`).
    public var description: String { rawValue }
}

/// What to do when the interface already has an XDP program in the requested mode.
///
/// Selects `XDP_FLAGS_UPDATE_IF_NOEXIST`, no flag, or `XDP_FLAGS_REPLACE` with
/// `IFLA_XDP_EXPECTED_FD` (linux/if_link.h).
public enum XDPReplacePolicy: Sendable, Hashable {
    /// `XDP_FLAGS_UPDATE_IF_NOEXIST`: fail if a program is attached (the safe default).
    case ifNotExists
    /// No flag: replace whatever is attached.
    case force
    /// `XDP_FLAGS_REPLACE` + `IFLA_XDP_EXPECTED_FD`: replace only if the attached program is
    /// the one behind `expectedFD` (an atomic compare-and-swap).
    case replace(expectedFD: Int32)

    /// The flag this policy adds.
    public var flags: XDPFlags {
        switch self {
        case .ifNotExists: .updateIfNotExists
        case .force: []
        case .replace: .replace
        }
    }
}

/// Which XDP mode(s) an interface has a program in, as reported on dump.
///
/// Mirrors `XDP_ATTACHED_*` in linux/if_link.h (the u8 of `IFLA_XDP_ATTACHED`).
public enum XDPAttachedMode: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// `XDP_ATTACHED_NONE` (0): no program.
    case none = 0
    /// `XDP_ATTACHED_DRV` (1): a native (driver) program.
    case native = 1
    /// `XDP_ATTACHED_SKB` (2): a generic (skb) program.
    case generic = 2
    /// `XDP_ATTACHED_HW` (3): an offloaded program.
    case offload = 3
    /// `XDP_ATTACHED_MULTI` (4): programs in more than one mode (e.g. offload and native).
    case multiple = 4

    /// `none`, `native`, `generic`, `offload` or `multiple`.
    public var description: String {
        switch self {
        case .none: "none"
        case .native: "native"
        case .generic: "generic"
        case .offload: "offload"
        case .multiple: "multiple"
        }
    }
}
