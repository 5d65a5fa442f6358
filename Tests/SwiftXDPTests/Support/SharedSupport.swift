// Test helpers shared by every test target (Tests/TestSupport): the .privileged trait, command runner.
@_exported import TestSupport
