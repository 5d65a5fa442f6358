import Testing

/// The parent of every suite in this target that loads programs, pins in bpffs or builds
/// network namespaces. `.serialized` applies to everything nested in it, so those suites run
/// one test at a time and their kernel-object counts and pins cannot interfere.
@Suite(.serialized) enum KernelSuites {}
