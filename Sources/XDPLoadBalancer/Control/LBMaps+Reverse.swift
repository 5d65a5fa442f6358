extension LBMaps {
    /// Deletes every `reverse` entry whose value matches `predicate` (e.g. the entries whose
    /// client tuple belongs to a removed service); returns how many.
    @discardableResult
    public func deleteReverseEntries(where predicate: (LBReverse) -> Bool) throws -> Int {
        var deleted = 0
        for entry in try reverse.allEntries() where predicate(try LBReverse(decoding: entry.value)) {
            if try reverse.delete(key: entry.key) { deleted += 1 }
        }
        return deleted
    }
}
