import ArgumentParser
import XDPLoadBalancer

/// `xdp-lb status --dev IF [--json]`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the services, backends (service, state, Maglev slots, flows, counters), flows and counters.")

    @OptionGroup var interface: InterfaceOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let balancer = try interface.open()
        let status = try LBCommandFailure.wrap { try balancer.status() }
        print(json ? StatusRendering.json(status).text : StatusRendering.text(status), terminator: json ? "\n" : "")
    }
}

/// The text and JSON forms of ``LBStatus``.
public enum StatusRendering {
    /// Human-readable lines.
    public static func text(_ status: LBStatus) -> String {
        var out = ""
        let attached = status.attachedMode == .none ? "NOT attached" : "attached (\(status.attachedMode))"
        out += "xdp-lb on \(status.interface): program \(status.programID) \(attached)\n"
        out += "LB address \(status.config.lbIP)  "
        out += "source ports \(status.config.portMin)-\(status.config.portMax)  flows \(status.flowCount) (\(status.openFlowCount) open)\n"
        if status.services.isEmpty {
            out += "services: none (new flows pass to the stack; add one with xdp-lb service add)\n"
        } else {
            out += "services:\n"
            var serviceRows = [["ID", "SERVICE", "ACTIVE", "DRAINING"]]
            for service in status.services {
                let mine = status.backends.filter { $0.serviceID == service.id }
                serviceRows.append(["\(service.id)", "\(service.key)", "\(mine.filter { $0.flags == .active }.count)",
                                    "\(mine.filter { $0.flags == .draining }.count)"])
            }
            out += table(serviceRows)
        }
        out += "backends:\n"
        let header = ["ID", "SVC", "BACKEND", "STATE", "SLOTS", "FLOWS", "OPEN", "TO PKTS", "TO BYTES", "FROM PKTS", "FROM BYTES"]
        var rows = [header]
        for b in status.backends {
            rows.append(["\(b.id)", "\(b.serviceID)", "\(b.endpoint)", "\(b.flags)", "\(b.maglevSlots)", "\(b.flows)", "\(b.openFlows)",
                         "\(b.counters.to.packets)", "\(b.counters.to.bytes)",
                         "\(b.counters.from.packets)", "\(b.counters.from.bytes)"])
        }
        out += table(rows)
        out += "counters (packets / bytes):\n"
        var counterRows: [[String]] = []
        for stat in LBStat.allCases {
            let counter = status.stats[stat] ?? LBCounter()
            guard stat.isVerdict || counter.packets > 0 else { continue }
            counterRows.append(["\(stat)", "\(counter.packets)", "\(counter.bytes)"])
        }
        out += table(counterRows)
        return out
    }

    /// Left-aligned columns, two spaces apart, indented by two.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            "  " + row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func counter(_ c: LBCounter) -> LBJSON {
        .object([("packets", .number(c.packets)), ("bytes", .number(c.bytes))])
    }

    /// The JSON document: interface, attached, program_id, config, service (the first, as
    /// before services were plural), services, backends, flows, open_flows, stats.
    static func json(_ status: LBStatus) -> LBJSON {
        let config = status.config
        func serviceObject(_ key: LBServiceKey, id: UInt32? = nil) -> LBJSON {
            .object((id.map { [("id", LBJSON.number(UInt64($0)))] } ?? []) + [
                ("vip", .string(key.vip.address.description)), ("port", .number(UInt64(key.vip.port))),
                ("proto", .string(LBProtocol(rawValue: key.proto)?.description ?? "\(key.proto)"))])
        }
        let service: LBJSON = status.service.map { serviceObject($0) } ?? .string("none")
        let services: [LBJSON] = status.services.map { serviceObject($0.key, id: $0.id) }
        let backends: [LBJSON] = status.backends.map { b in
            .object([("id", .number(UInt64(b.id))), ("service_id", .number(UInt64(b.serviceID))),
                     ("address", .string(b.endpoint.address.description)),
                     ("port", .number(UInt64(b.endpoint.port))), ("state", .string(b.flags.description)),
                     ("maglev_slots", .number(UInt64(b.maglevSlots))), ("flows", .number(UInt64(b.flows))),
                     ("open_flows", .number(UInt64(b.openFlows))),
                     ("to", counter(b.counters.to)), ("from", counter(b.counters.from))])
        }
        let stats: [(String, LBJSON)] = LBStat.allCases.map { ("\($0)", counter(status.stats[$0] ?? LBCounter())) }
        return .object([
            ("interface", .string(status.interface)),
            ("attached", .string(status.attachedMode.description)),
            ("program_id", .number(UInt64(status.programID))),
            ("config", .object([("lb_ip", .string(config.lbIP.description)), ("port_min", .number(UInt64(config.portMin))),
                                ("port_max", .number(UInt64(config.portMax))), ("hash_seed", .number(UInt64(config.hashSeed)))])),
            ("service", service),
            ("services", .array(services)),
            ("backends", .array(backends)),
            ("flows", .number(UInt64(status.flowCount))),
            ("open_flows", .number(UInt64(status.openFlowCount))),
            ("stats", .object(stats)),
        ])
    }

    /// The JSON text of ``json(_:)``.
    public static func jsonText(_ status: LBStatus) -> String { json(status).text }
}
