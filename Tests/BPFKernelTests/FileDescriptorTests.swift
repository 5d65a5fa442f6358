@testable import BPFKernel
import Foundation
import Testing

extension SerialKernelTests {
    @Suite struct FileDescriptorTests {
        func openDevNull() -> Int32 { open("/dev/null", O_RDONLY) }  // deliberately without O_CLOEXEC

        @Test func adoptionSetsCloseOnExec() throws {
            let raw = openDevNull()
            #expect(fcntl(raw, F_GETFD) & FD_CLOEXEC == 0)
            let fd = try FileDescriptor(adopting: raw)
            #expect(fd.rawValue == raw)
            #expect(fcntl(fd.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        }

        @Test func lowDescriptorsAreMovedUpAndTheLowOneClosed() throws {
            // Exercise the stdin/stdout/stderr rule with a higher floor, without closing them.
            let raw = openDevNull()
            let floor = raw + 50
            let fd = try FileDescriptor(adopting: raw, lowest: floor)
            #expect(fd.rawValue >= floor)
            #expect(fcntl(raw, F_GETFD) == -1 && Errno.current == .EBADF)  // the low one is closed
            #expect(fcntl(fd.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        }

        @Test func closesExactlyOnce() throws {
            let fd = try FileDescriptor(adopting: openDevNull())
            let raw = fd.rawValue
            fd.close()
            #expect(fd.isClosed && fd.rawValue == -1)
            #expect(fd.description == "fd (closed)")
            #expect(fcntl(raw, F_GETFD) == -1)
            // A second close must not close whatever now has that number.
            let reused = openDevNull()
            fd.close()
            #expect(fcntl(reused, F_GETFD) != -1)
            _ = Glibc.close(reused)
        }

        @Test func deinitCloses() throws {
            var raw: Int32 = -1
            do {
                let fd = try FileDescriptor(adopting: openDevNull())
                raw = fd.rawValue
                #expect(fcntl(raw, F_GETFD) != -1)
            }
            #expect(fcntl(raw, F_GETFD) == -1)
        }

        @Test func duplicateIsIndependent() throws {
            let fd = try FileDescriptor(adopting: openDevNull())
            let copy = try fd.duplicate()
            #expect(copy.rawValue != fd.rawValue && copy.rawValue >= 3)
            fd.close()
            #expect(fcntl(copy.rawValue, F_GETFD) != -1)
        }

        @Test func badDescriptorsAreRefused() {
            #expect(throws: Errno.EBADF) { try FileDescriptor(adopting: -1) }
        }

        @Test func countsOpenDescriptors() throws {
            let before = try FileDescriptor.openCount()
            let listed = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
            // FileManager's own directory handle is in its listing; ours is excluded from ours.
            #expect(abs(before - (listed - 1)) <= 5)
            let extra = try (0..<10).map { _ in try FileDescriptor(adopting: openDevNull()) }
            #expect(try FileDescriptor.openCount() >= before + 10 - 5)
            extra.forEach { $0.close() }
        }
    }
}
