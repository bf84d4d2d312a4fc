import XCTest
@testable import Jupyter
import JupyterProtocol

final class JSONLiteralTests: XCTestCase {
    func testLiterals_buildObjects() {
        let value: JSON = ["a": 1, "b": [true, nil], "c": "x"]
        XCTAssertEqual(value["a"]?.intValue, 1)
        XCTAssertEqual(value["b"]?.arrayValue?.count, 2)
        XCTAssertEqual(value["c"]?.stringValue, "x")
        XCTAssertNil(value["missing"])
    }
}
