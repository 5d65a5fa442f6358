import ArgumentParser
import Testing
import XDPLoadBalancer
@testable import XDPLoadBalancerCommands

/// Address parsing and the CLI's error messages (no kernel needed).
@Suite struct ArgumentTests {
    @Test(arguments: ["10.0.0.1", "0.0.0.0", "255.255.255.255", "198.18.0.1"])
    func validAddresses(text: String) throws {
        #expect(try #require(IPv4Address(text)).description == text)
    }

    @Test(arguments: ["198.18.0.300", "1.2.3", "1.2.3.4.5", "", "a.b.c.d", "1..2.3", "+1.2.3.4", "1.2.3.4 ", "0001.2.3.4", "１.2.3.4"])
    func invalidAddresses(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func endpoints() throws {
        let e = try #require(IPv4Endpoint("198.18.0.10:8080"))
        #expect(e.address.value == 0xc612_000a && e.port == 8080 && e.description == "198.18.0.10:8080")
        for bad in ["198.18.0.10", "198.18.0.10:", "198.18.0.10:0", "198.18.0.10:65536", ":80", "198.18.0.300:80", "x:80", "1.2.3.4:-1"] {
            #expect(IPv4Endpoint(bad) == nil, "\(bad)")
        }
    }

    @Test func badVipMessage() {
        do {
            _ = try XDPLoadBalancerCommand.parseAsRoot(["start", "--dev", "eth0", "--vip", "198.18.0.300:80"])
            Issue.record("parsed")
        } catch {
            #expect(XDPLoadBalancerCommand.message(for: error).contains("'198.18.0.300:80' is not an IPv4 address and port"))
        }
    }

    @Test func badBackendAndModeMessages() {
        let cases: [([String], String)] = [
            (["start", "--dev", "eth0", "--vip", "10.0.0.1:80", "--backend", "10.0.0.2"], "'10.0.0.2' is not an IPv4 address and port"),
            (["start", "--dev", "eth0", "--vip", "10.0.0.1:80", "--mode", "turbo"], "'turbo' is not an XDP mode"),
            (["start", "--dev", "eth0", "--vip", "10.0.0.1:80", "--proto", "sctp"], "'sctp' is not a protocol"),
            (["start", "--dev", "eth0", "--vip", "10.0.0.1:80", "--lb-ip", "10.0.0"], "'10.0.0' is not an IPv4 address"),
            (["start", "--dev", "eth0", "--vip", "10.0.0.1:80", "--ports", "9-1"], "'9-1' is not a port range"),
            (["backend", "add", "1.2.3.4:99999", "--dev", "eth0"], "'1.2.3.4:99999' is not an IPv4 address and port"),
            (["backend", "remove", "nope", "--dev", "eth0"], "'nope' is not an IPv4 address and port"),
        ]
        for (arguments, expected) in cases {
            do {
                _ = try XDPLoadBalancerCommand.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(XDPLoadBalancerCommand.message(for: error).contains(expected), "\(arguments)")
            }
        }
    }

    @Test func startOptionsFromArguments() throws {
        let command = try XDPLoadBalancerCommand.parseAsRoot(
            ["start", "--dev", "eth0", "--vip", "10.0.0.100:53", "--proto", "udp", "--backend", "10.0.0.2:5353",
             "--backend", "10.0.0.3:5353", "--mode", "native", "--lb-ip", "10.0.0.5", "--ports", "30000-30999", "--seed", "7"])
        let options = try #require(command as? StartCommand).startOptions()
        #expect(options.vip == IPv4Endpoint("10.0.0.100:53") && options.proto == .udp)
        #expect(options.backends == [IPv4Endpoint("10.0.0.2:5353")!, IPv4Endpoint("10.0.0.3:5353")!])
        #expect(options.mode == .native && options.lbIP == IPv4Address("10.0.0.5") && options.portRange == 30000...30999)
        #expect(options.hashSeed == 7)
    }

    @Test func errorMessagesOfTheLibrary() {
        #expect("\(LBError(.notRunning(interface: "eth0")))" == "no xdp-lb on eth0: start one with xdp-lb start")
        #expect("\(LBError(.unknownBackend(IPv4Endpoint("10.0.0.9:80")!)))" == "10.0.0.9:80 is not a backend of this load balancer")
        #expect("\(LBError(.alreadyRunning(interface: "eth0")))".hasPrefix("xdp-lb is already running on eth0"))
    }
}
