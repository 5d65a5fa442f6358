/// Loads a parsed object into the kernel in named steps (see ``LoadStep``): BTF, externs,
/// maps, relocation, programs, `.values` slots. Any failure rolls back: every descriptor made
/// so far is closed and every pin created is removed, so nothing is left in the kernel.
///
/// Attaching is separate (see ``XDPAttachment``); so is pinning a whole object
/// (``LoadedObject/pin(in:)``).
public enum ObjectLoader {
    /// Loads `object`. The returned ``LoadedObject`` owns every kernel object made.
    public static func load(_ object: BPFObjectFile, options: LoadOptions = LoadOptions()) throws(LoadError) -> LoadedObject {
        let loaded = LoadedObject(object: object)
        let observer = options.observer
        var forward: (@Sendable (KernelCall) -> Void)?
        if let observer { forward = { observer(.kernelCall($0)) } }
        let steps = LoadSteps(loaded: loaded, options: options)
        var failure: LoadError?
        KernelTrace.withObserver(forward) {
            do throws(LoadError) {
                try steps.run()
            } catch {
                failure = error
            }
        }
        if let failure {
            loaded.removeCreatedPins()
            loaded.close()
            observer?(.note("rolled back: closed every descriptor and removed the pins this load created"))
            throw failure
        }
        return loaded
    }
}
