// The lab's command runner is the shared one in Tests/TestSupport; these are its names here.

/// What one lab command printed and how it ended.
typealias LabCommandResult = CommandResult
/// Why a lab command could not give a result.
typealias LabError = CommandError
/// Runs external commands for the lab tests.
typealias LabShell = SpawnedCommand
