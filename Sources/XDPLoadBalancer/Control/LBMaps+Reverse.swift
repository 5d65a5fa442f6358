extension LBMaps {
    /// Deletes every `reverse` entry whose value matches `predicate` (e.g. the entries whose
    /// client tuple belongs to a removed service); returns how many. Entries the LRU evicts
    /// during the walk are skipped.
    @discardableResult
    public func deleteReverseEntries(where predicate: (LBReverse) -> Bool) throws -> Int {
        var deleted = 0
        for key in try reverse.keys() {
            guard let value = try reverse.lookup(key: key), predicate(try LBReverse(decoding: value)) else { continue }
            if try reverse.delete(key: key) { deleted += 1 }
        }
        return deleted
    }
}
