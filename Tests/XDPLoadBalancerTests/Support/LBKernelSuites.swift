import Testing

/// The parent of every suite in this target that loads programs, pins in bpffs or builds
/// network namespaces: `.serialized` makes them run one test at a time.
@Suite(.serialized) enum LBKernelSuites {}
