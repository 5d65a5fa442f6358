import ArgumentParser
import SwiftXDP

/// `swift-xdp status`: which XDP programs are attached, in which mode, with which maps.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the XDP programs attached to one or every interface, with their maps.")

    @Option(name: .customLong("dev"), help: "Only this interface.")
    var device: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let attachment = try CommandFailure.wrap { () throws(NetlinkError) in try XDPAttachment() }
        let interfaces: [NetworkInterface]
        do {
            if let device {
                interfaces = [try attachment.netlink.interface(named: device)]
            } else {
                interfaces = try attachment.netlink.listInterfaces()
            }
        } catch {
            throw AttachFailure.describe(error, device: device ?? "?")
        }
        let reports = try interfaces.map { interface in
            do {
                return try InterfaceReport.make(for: interface)
            } catch {
                throw CommandFailure("cannot read the program attached to \(interface.name): \(error)",
                                     detail: "hint: reading program info needs CAP_SYS_ADMIN or root")
            }
        }
        if json {
            print(JSONValue.object([("interfaces", .array(reports.map(StatusView.json)))]).serialized())
        } else {
            print(reports.map(StatusView.text).joined(), terminator: "")
        }
    }
}

/// Text and JSON renderings of ``InterfaceReport``.
enum StatusView {
    static func text(_ report: InterfaceReport) -> String {
        var out = "\(report.interface.name) (ifindex \(report.interface.index)): "
        guard !report.programs.isEmpty else { return out + "no XDP program\n" }
        out += "xdp \(report.programs.map { "\($0.mode)" }.joined(separator: "+"))\n"
        for program in report.programs {
            out += "  program \(program.info.id) \"\(program.info.name)\" tag \(program.info.tag) mode \(program.mode)"
                + " (\(program.info.translatedSize / 8) instructions)\n"
            for map in program.maps {
                out += "    map \(map.id) \"\(map.name)\" \(map.type.name.lowercased()) key \(map.keySize) value \(map.valueSize)"
                    + " max \(map.maxEntries)\(map.flags.isEmpty ? "" : " flags \(map.flags)")\n"
            }
        }
        return out
    }

    static func json(_ report: InterfaceReport) -> JSONValue {
        .object([
            ("interface", .string(report.interface.name)),
            ("ifindex", .number(report.interface.index)),
            ("mode", .string(report.programs.isEmpty ? "none" : report.programs.map { "\($0.mode)" }.joined(separator: "+"))),
            ("programs", .array(report.programs.map { program in
                .object([
                    ("id", .number(program.info.id)),
                    ("name", .string(program.info.name)),
                    ("tag", .string(program.info.tag)),
                    ("mode", .string("\(program.mode)")),
                    ("type", .string(program.info.type.name.lowercased())),
                    ("maps", .array(program.maps.map { map in
                        .object([("id", .number(map.id)), ("name", .string(map.name)),
                                 ("type", .string(map.type.name.lowercased())), ("keySize", .number(map.keySize)),
                                 ("valueSize", .number(map.valueSize)), ("maxEntries", .number(map.maxEntries))])
                    })),
                ])
            })),
        ])
    }
}
