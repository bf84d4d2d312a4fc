import XCTest
@testable import ConvnetLanguage
