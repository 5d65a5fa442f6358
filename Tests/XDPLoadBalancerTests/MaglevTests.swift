import Testing
import XDPLoadBalancer

/// The Maglev population: complete, balanced, deterministic, minimally disruptive.
@Suite struct MaglevTests {
    static let m = LBConstants.maglevSize

    static func backends(_ count: Int, from first: Int = 1) -> [MaglevBackend] {
        (first..<first + count).map { MaglevBackend(id: UInt32($0), name: "10.0.\($0 / 250).\($0 % 250 + 1):8080") }
    }

    static func shares(_ table: [UInt32]) -> [UInt32: Int] {
        var counts: [UInt32: Int] = [:]
        for id in table { counts[id, default: 0] += 1 }
        return counts
    }

    @Test func sizeIsPrime() {
        #expect((2..<Self.m).allSatisfy { Self.m % $0 != 0 || $0 * $0 > Self.m } && (2...64).allSatisfy { Self.m % $0 != 0 })
    }

    @Test("every slot filled, each backend within 1% of M/N", arguments: [1, 2, 3, 5, 10, 20, 40])
    func balanced(count: Int) {
        let table = MaglevTable.build(Self.backends(count))
        #expect(table.count == Self.m)
        #expect(!table.contains(0))
        let shares = Self.shares(table)
        #expect(shares.count == count)
        let ideal = Double(Self.m) / Double(count)
        for (id, share) in shares {
            #expect(abs(Double(share) - ideal) <= max(1, ideal * 0.01), "backend \(id): \(share) slots, ideal \(ideal)")
        }
    }

    @Test func deterministicAndOrderIndependent() {
        let list = Self.backends(7)
        let a = MaglevTable.build(list)
        #expect(MaglevTable.build(list.reversed()) == a)
        #expect(MaglevTable.build(list + [list[0]]) == a)   // duplicate names ignored
        // Known permutation: pinned so a change of hash is noticed (it would move every flow).
        let p = MaglevTable.permutation(of: "10.0.0.2:8080", size: Self.m)
        #expect(p.offset >= 0 && p.offset < Self.m && p.skip >= 1 && p.skip < Self.m)
        #expect(MaglevTable.permutation(of: "10.0.0.2:8080", size: Self.m) == p)
    }

    @Test func noBackendsMeansEmptySlots() {
        #expect(MaglevTable.build([]) == [UInt32](repeating: 0, count: Self.m))
    }

    @Test("removing one of N moves its own slots and few others", arguments: [3, 5, 10, 20])
    func removalDisruption(count: Int) {
        let all = Self.backends(count)
        let before = MaglevTable.build(all)
        for removed in all {
            let after = MaglevTable.build(all.filter { $0 != removed })
            #expect(!after.contains(removed.id))
            // Slots of other backends that changed owner: Maglev keeps them small.
            let collateral = zip(before, after).filter { $0.0 != $0.1 && $0.0 != removed.id }.count
            #expect(Double(collateral) <= Double(Self.m) * 0.03, "removing \(removed.name) of \(count) moved \(collateral) other slots")
            let changed = MaglevTable.changedSlots(before, after)
            #expect(Double(changed) <= Double(Self.m) / Double(count) * 1.01 + Double(Self.m) * 0.03)
        }
    }

    @Test("adding one to N moves about M/(N+1) slots", arguments: [2, 4, 9, 19])
    func additionDisruption(count: Int) {
        let old = Self.backends(count)
        let added = MaglevBackend(id: 999, name: "192.0.2.77:443")
        let before = MaglevTable.build(old)
        let after = MaglevTable.build(old + [added])
        let toNew = after.filter { $0 == added.id }.count
        let changed = MaglevTable.changedSlots(before, after)
        #expect(abs(Double(toNew) - Double(Self.m) / Double(count + 1)) <= Double(Self.m) * 0.01)
        #expect(Double(changed - toNew) <= Double(Self.m) * 0.03, "\(changed - toNew) slots moved between old backends")
    }

    @Test func idsDoNotChangePreferences() {
        // The same names under other ids give the same table shape.
        let a = MaglevTable.build(Self.backends(4))
        let renamed = Self.backends(4).map { MaglevBackend(id: $0.id + 100, name: $0.name) }
        #expect(MaglevTable.build(renamed) == a.map { $0 + 100 })
    }
}

/// The flow hash mirror: fixed vectors from bpf/xdp_lb_test.py's `flow_hash` (python3).
@Suite struct FlowHashTests {
    @Test func matchesThePythonReference() throws {
        let tuple = LBTuple(source: IPv4Endpoint("10.0.0.4:40000")!, destination: IPv4Endpoint("10.0.0.100:80")!, proto: 6)
        #expect(FlowHash.mix(0) == 0)
        #expect(FlowHash.mix(1) == 0x514e_28b7)
        #expect(FlowHash.hash(tuple, seed: 0) == 0x2f77_49f3)
        #expect(FlowHash.hash(tuple, seed: 0xdead_beef) == 0x4c1a_a534)
    }
}
