import Foundation
import XCTest
@testable import Jupyter
import JupyterProtocol

final class CancellationTests: XCTestCase {
    func testSIGINT_cancelsAndWakesAWaitingCell() {
        let cancellation = Cancellation()
        cancellation.installSIGINTHandler()
        let start = ContinuousClock.now
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { _ = kill(getpid(), SIGINT) }  // process-directed, as Jupyter sends it
        XCTAssertTrue(cancellation.wait(seconds: 10), "SIGINT ends the wait")
        XCTAssertTrue(cancellation.isCancelled)
        // Signalled at 0.05 s, well before the 10 s wait; generous for a loaded CI machine.
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        cancellation.reset()
        XCTAssertFalse(cancellation.isCancelled)
    }

    func testWait_timesOutWhenNothingHappens() {
        let cancellation = Cancellation()
        let start = ContinuousClock.now
        XCTAssertFalse(cancellation.wait(seconds: 0.05))
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(45))
    }

    func testStaleWakeUp_doesNotEndALaterWait() {
        let cancellation = Cancellation()
        cancellation.cancel()
        cancellation.reset()
        cancellation.wake.signal()  // a byte left in the pipe, as a late signal would leave it
        XCTAssertFalse(cancellation.wait(seconds: 0.05), "only the flag counts, not a stray wake-up")
    }

    func testCancelForever_survivesReset() {
        let cancellation = Cancellation()
        cancellation.cancelForever()
        cancellation.reset()
        XCTAssertTrue(cancellation.isCancelled, "a cell that starts during shutdown is cancelled too")
        XCTAssertTrue(cancellation.wait(seconds: 5))
    }
}
