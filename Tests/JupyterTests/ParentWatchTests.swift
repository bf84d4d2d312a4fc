import XCTest
@testable import Jupyter

final class ParentWatchTests: XCTestCase {
    func testParentToWatch_launchedByJupyterClient_isTheParent() {
        XCTAssertEqual(ParentWatch.parentToWatch(jpyParentPID: "4242", parent: 4242), 4242)
    }

    func testParentToWatch_wrapperBetween_isStillTheDirectParent() {
        // A wrapper script between the server and the kernel: its exit is what reparents the kernel.
        XCTAssertEqual(ParentWatch.parentToWatch(jpyParentPID: "4242", parent: 5000), 5000)
    }

    func testParentToWatch_noVariableOrNotAPid_isNothing() {
        XCTAssertNil(ParentWatch.parentToWatch(jpyParentPID: nil, parent: 4242))
        XCTAssertNil(ParentWatch.parentToWatch(jpyParentPID: "", parent: 4242))
        XCTAssertNil(ParentWatch.parentToWatch(jpyParentPID: "server", parent: 4242))
        XCTAssertNil(ParentWatch.parentToWatch(jpyParentPID: "1", parent: 4242), "init never exits (ipykernel's rule)")
        XCTAssertNil(ParentWatch.parentToWatch(jpyParentPID: "0", parent: 4242))
    }

    func testParentToWatch_alreadyAChildOfInit_isNothing() {
        XCTAssertNil(ParentWatch.parentToWatch(jpyParentPID: "4242", parent: 1))
    }
}
