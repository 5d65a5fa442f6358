/// A backend as the Maglev builder sees it: the id written into the table and the stable
/// name its permutation is derived from (xdp-lb uses `"ADDR:PORT"`, so a backend keeps its
/// preferences whatever id it gets).
public struct MaglevBackend: Sendable, Hashable {
    /// The backend id (`backends` map key) that owns the slots this backend takes.
    public var id: UInt32
    /// The name hashed into the backend's offset and skip.
    public var name: String

    /// A Maglev input.
    public init(id: UInt32, name: String) {
        self.id = id
        self.name = name
    }
}

/// The Maglev lookup table population (Eisenbud et al., "Maglev: A Fast and Reliable Software
/// Network Load Balancer", NSDI 2016, section 3.4), producing the values of one service's
/// slice of the `maglev` map (`XDP_LB_MAGLEV_SIZE` backend ids).
///
/// Each backend `i` gets `offset = h1(name) mod M` and `skip = h2(name) mod (M - 1) + 1`; its
/// preference list is `(offset + j * skip) mod M` for j = 0, 1, 2, …, which visits every slot
/// because M is prime. Backends take turns claiming their next preferred slot that is still
/// free until all M slots are taken, so each gets ⌊M/N⌋ or ⌈M/N⌉ slots, and removing or
/// adding one backend moves few slots of the others.
///
/// Pure and deterministic: the same backend names give the same table, whatever order they
/// are given in and whichever process builds it.
public enum MaglevTable {
    /// Builds the table for `backends` with `size` slots (must be prime and > 1; defaults to
    /// `XDP_LB_MAGLEV_SIZE`). No backends: every slot is 0 ("no backend").
    /// Backends with the same name keep only the first; ties are broken by name order.
    public static func build(_ backends: [MaglevBackend], size: Int = LBConstants.maglevSize) -> [UInt32] {
        precondition(size > 1, "the Maglev table needs at least 2 slots")
        var seen = Set<String>()
        let ordered = backends.filter { seen.insert($0.name).inserted }.sorted { $0.name < $1.name }
        var table = [UInt32](repeating: 0, count: size)
        guard !ordered.isEmpty else { return table }

        let permutations = ordered.map { permutation(of: $0.name, size: size) }
        var next = [Int](repeating: 0, count: ordered.count)   // j of each backend's list
        var taken = [Bool](repeating: false, count: size)
        var filled = 0
        while true {
            for (index, backend) in ordered.enumerated() {
                let (offset, skip) = permutations[index]
                var slot = (offset + next[index] * skip) % size
                while taken[slot] {
                    next[index] += 1
                    slot = (offset + next[index] * skip) % size
                }
                next[index] += 1
                taken[slot] = true
                table[slot] = backend.id
                filled += 1
                if filled == size { return table }
            }
        }
    }

    /// The `(offset, skip)` of the backend called `name` in a table of `size` slots.
    public static func permutation(of name: String, size: Int) -> (offset: Int, skip: Int) {
        let bytes = Array(name.utf8)
        let h1 = mix64(fnv1a64(bytes, basis: 0xcbf2_9ce4_8422_2325))
        let h2 = mix64(fnv1a64(bytes, basis: 0x6c62_272e_07bb_0142))
        let offset = Int(h1 % UInt64(size))
        let skip = Int(h2 % UInt64(size - 1)) + 1
        return (offset, skip)
    }

    /// How many slots differ between two tables of equal size.
    public static func changedSlots(_ a: [UInt32], _ b: [UInt32]) -> Int {
        zip(a, b).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
    }

    /// FNV-1a, 64 bits, from `basis` (the standard offset basis or another one for a second,
    /// independent hash).
    static func fnv1a64(_ bytes: [UInt8], basis: UInt64) -> UInt64 {
        var hash = basis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The SplitMix64 finaliser: spreads FNV's weak low bits over the whole word.
    static func mix64(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
