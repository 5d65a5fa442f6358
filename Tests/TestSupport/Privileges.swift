import Foundation
import Testing

/// Whether tests that need root (bpf(), network namespaces, bpffs) can run here.
///
/// Such tests are skipped when not root, except under `SWIFT_XDP_REQUIRE_PRIVILEGED=1`
/// (set by `.ci/run`), where they run anyway and fail, so a skip can never pass CI silently.
public enum Privileges {
    /// True when running as root.
    public static let isRoot: Bool = geteuid() == 0
    /// True when `SWIFT_XDP_REQUIRE_PRIVILEGED=1`.
    public static let required: Bool = ProcessInfo.processInfo.environment["SWIFT_XDP_REQUIRE_PRIVILEGED"] == "1"
    /// Run privileged tests: as root, or when they are required.
    public static let shouldRun: Bool = isRoot || required
}

extension Trait where Self == ConditionTrait {
    /// Marks a test that needs root; see ``Privileges``.
    public static var privileged: Self {
        .enabled(if: Privileges.shouldRun, "needs root (bpf(), netns); set SWIFT_XDP_REQUIRE_PRIVILEGED=1 to make this a failure")
    }
}
