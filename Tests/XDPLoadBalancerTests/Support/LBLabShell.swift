// The lab's command runner is the shared one in Tests/TestSupport; these are its names here.

/// What one lab command printed and how it ended.
typealias LBLabResult = CommandResult
/// Why a lab command could not give a result.
typealias LBLabError = CommandError
/// A command run in the foreground or the background.
typealias LBLabProcess = SpawnedCommand
