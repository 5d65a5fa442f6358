// swift-tools-version: 6.0
// swift-xdp benchmarks: how fast the pure object layer (`BPFObject`) reads and links BPF
// objects, compared with libbpf's `bpf_object__open_mem()` (see README.md and parse.sh).
//
// A separate package so the main one carries no benchmark code or dependencies. The main
// package is used by path; its identity is the name of the directory that holds it (the
// checkout, e.g. `main` or `swift-xdp`), so it is computed here rather than spelled out.
import PackageDescription

/// The identity SwiftPM gives `.package(path: "..")`: the last component of the parent
/// directory, lowercased.
let mainPackageIdentity = Context.packageDirectory
    .split(separator: "/").dropLast().last.map { String($0).lowercased() } ?? "swift-xdp"

let package = Package(
    name: "swift-xdp-bench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "parse-bench",
            dependencies: [.product(name: "BPFObject", package: mainPackageIdentity)]
        ),
    ]
)
