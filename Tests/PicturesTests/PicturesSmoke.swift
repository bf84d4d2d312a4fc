import XCTest
@testable import Pictures
