#if canImport(Glibc)
import Glibc
#endif

/// Memory that never changes once made, which a data set's arrays point into:
/// a heap block it owns, or a read-only mapping of a cache file that every
/// kernel on the machine shares through the page cache.
///
/// Nothing writes through `base` after `init` returns, so the storage can be
/// shared between threads and between the views of many slices.
public final class ByteStorage: @unchecked Sendable {
    /// The first byte; `count` bytes follow.
    let base: UnsafeRawPointer
    let count: Int
    /// True for a file mapping (`munmap` on release), false for a heap block.
    public let isMapped: Bool

    /// A heap copy of `bytes`, aligned for any element type.
    init(copying bytes: UnsafeRawBufferPointer) {
        let block = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 16)
        if let source = bytes.baseAddress, bytes.count > 0 { block.copyMemory(from: source, byteCount: bytes.count) }
        base = UnsafeRawPointer(block)
        count = bytes.count
        isMapped = false
    }

    /// A heap block of `count` bytes that `initialize` fills (a file inflating into it).
    init(count: Int, initializingWith initialize: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let block = UnsafeMutableRawPointer.allocate(byteCount: max(1, count), alignment: 16)
        do {
            try initialize(UnsafeMutableRawBufferPointer(start: block, count: count))
        } catch {
            block.deallocate()
            throw error
        }
        base = UnsafeRawPointer(block)
        self.count = count
        isMapped = false
    }

    /// Takes over a mapping made by `mmap`; it is unmapped when the last view goes.
    init(mapping base: UnsafeRawPointer, length: Int) {
        self.base = base
        count = length
        isMapped = true
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}

/// A read-only array whose elements live in a `ByteStorage`: slicing it makes a
/// view of the same memory, never a copy, so `data.train[0:1000]` costs nothing
/// and a mapped data set stays in the page cache once however many views it has.
///
/// Indices run from 0 to `count - 1` in every view (unlike `ArraySlice`).
public struct SharedArray<Element: BitwiseCopyable>: RandomAccessCollection, Sendable {
    public let storage: ByteStorage
    /// Where element 0 starts in `storage`, in bytes (a multiple of the element's alignment).
    let byteOffset: Int
    public let count: Int

    /// A view of `count` elements at `byteOffset` in `storage`.
    init(storage: ByteStorage, byteOffset: Int, count: Int) {
        precondition(byteOffset >= 0 && count >= 0, "a negative offset or count")
        precondition(byteOffset % MemoryLayout<Element>.alignment == 0, "a misaligned view")
        precondition(byteOffset + count * MemoryLayout<Element>.stride <= storage.count, "a view past the storage")
        self.storage = storage
        self.byteOffset = byteOffset
        self.count = count
    }

    /// A heap copy of `elements`.
    public init(_ elements: [Element]) {
        let storage = elements.withUnsafeBytes { ByteStorage(copying: $0) }
        self.init(storage: storage, byteOffset: 0, count: elements.count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    private var start: UnsafePointer<Element> {
        (storage.base + byteOffset).assumingMemoryBound(to: Element.self)
    }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index \(position) out of range 0..<\(count)")
        return withExtendedLifetime(storage) { start[position] }
    }

    /// Elements `range` as a view of the same memory, indexed from 0.
    public func slice(_ range: Range<Int>) -> SharedArray {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice \(range) out of range 0..<\(count)")
        return SharedArray(
            storage: storage, byteOffset: byteOffset + range.lowerBound * MemoryLayout<Element>.stride,
            count: range.count)
    }

    /// Calls `body` with the elements' memory, which stays valid until it returns.
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(UnsafeBufferPointer(start: start, count: count))
    }

    /// The elements' bytes, valid until `body` returns.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(UnsafeRawBufferPointer(start: storage.base + byteOffset, count: count * MemoryLayout<Element>.stride))
    }

    /// True when the elements sit in a file mapping (shared with other processes).
    public var isMapped: Bool { storage.isMapped }
}

extension SharedArray: Equatable where Element: FixedWidthInteger {
    /// Element by element; integers compare equal exactly when their bytes do.
    public static func == (lhs: SharedArray, rhs: SharedArray) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.storage === rhs.storage && lhs.byteOffset == rhs.byteOffset { return true }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }
}

extension SharedArray: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}
