import ArgumentParser
import XDPLoadBalancer

/// An error `xdp-lb` reports as one clear line with a non-zero exit status.
public struct LBCommandFailure: Error, CustomStringConvertible {
    /// The message.
    public var message: String

    /// A failure with `message`.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }

    /// Runs `body`, turning any error into a failure with the error's text.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LBCommandFailure {
            throw error
        } catch {
            throw LBCommandFailure("\(error)")
        }
    }
}

/// Parsing of the command line's addresses, with the messages the CLI prints.
public enum LBArguments {
    /// `ADDR:PORT`, or a failure "'TEXT' is not an IPv4 address and port".
    public static func endpoint(_ text: String) throws -> IPv4Endpoint {
        guard let endpoint = IPv4Endpoint(text) else {
            throw ValidationError("'\(text)' is not an IPv4 address and port (like 198.18.0.10:80)")
        }
        return endpoint
    }

    /// A dotted-quad address, or a failure "'TEXT' is not an IPv4 address".
    public static func address(_ text: String) throws -> IPv4Address {
        guard let address = IPv4Address(text) else {
            throw ValidationError("'\(text)' is not an IPv4 address")
        }
        return address
    }

    /// `tcp` or `udp`.
    public static func proto(_ text: String) throws -> LBProtocol {
        guard let proto = LBProtocol(name: text) else {
            throw ValidationError("'\(text)' is not a protocol: use tcp or udp")
        }
        return proto
    }

    /// `generic` or `native`.
    public static func mode(_ text: String) throws -> XDPMode {
        switch text {
        case "generic", "skb": return .generic
        case "native", "drv": return .native
        default: throw ValidationError("'\(text)' is not an XDP mode: use generic or native")
        }
    }

    /// `MIN-MAX` source ports.
    public static func portRange(_ text: String) throws -> ClosedRange<UInt16> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = UInt16(parts[0]), let high = UInt16(parts[1]), low > 0, low <= high else {
            throw ValidationError("'\(text)' is not a port range like 20000-59999")
        }
        return low...high
    }
}
