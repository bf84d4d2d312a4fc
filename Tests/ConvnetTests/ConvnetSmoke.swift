import XCTest
@testable import Convnet
