// swift-tools-version: 6.0
// swift-xdp: a pure-Swift BPF toolchain that loads clang-compiled XDP programs without libbpf.
//
// Layers (see README "Architecture"):
//   BPFObject        pure object layer: ELF, BTF, instructions, object model, relocation, linking
//   CBPF             tiny C shim: kernel UAPI headers + non-variadic syscall wrappers
//   BPFKernel        bpf() entry point, fd-owning kernel objects, netlink
//   SwiftXDP         the API: load an object in named steps, attach, query
//   SwiftXDPCommands the CLI commands (a library so tests can drive them)
//   swift-xdp        the executable: a few lines over SwiftXDPCommands
//   XDPLoadBalancer  the control plane of the project's own load balancer (bpf/xdp_lb.bpf.c)
//   xdp-lb           its command line
import PackageDescription

let package = Package(
    name: "swift-xdp",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SwiftXDP", targets: ["SwiftXDP"]),
        .library(name: "BPFObject", targets: ["BPFObject"]),
        .executable(name: "swift-xdp", targets: ["swift-xdp"]),
        .executable(name: "xdp-lb", targets: ["xdp-lb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "BPFObject"),
        .target(name: "CBPF"),
        .target(name: "BPFKernel", dependencies: ["BPFObject", "CBPF"]),
        .target(name: "SwiftXDP", dependencies: ["BPFObject", "BPFKernel"]),
        .target(
            name: "SwiftXDPCommands",
            dependencies: ["SwiftXDP", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "swift-xdp", dependencies: ["SwiftXDPCommands"]),
        .target(name: "XDPLoadBalancer", dependencies: ["SwiftXDP"]),
        .target(
            name: "XDPLoadBalancerCommands",
            dependencies: ["XDPLoadBalancer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "xdp-lb", dependencies: ["XDPLoadBalancerCommands"]),
        // Helpers shared by the test targets: the .privileged trait and the command runner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BPFObjectTests", dependencies: ["BPFObject"]),
        .testTarget(name: "BPFKernelTests", dependencies: ["BPFKernel", "BPFObject", "TestSupport"]),
        .testTarget(name: "SwiftXDPTests", dependencies: ["SwiftXDP", "SwiftXDPCommands", "TestSupport"]),
        .testTarget(name: "XDPLoadBalancerTests",
                    dependencies: ["XDPLoadBalancer", "XDPLoadBalancerCommands", "TestSupport"]),
    ]
)
