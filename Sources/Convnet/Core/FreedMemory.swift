import Foundation

/// Hands the pages of freed heap blocks back to the system.
///
/// glibc keeps freed memory in its arenas for reuse: after a training run frees its batch
/// buffers (megabytes, in many blocks), the process would otherwise go on holding them,
/// and 300 kernels on one machine would each hold their largest batch's worth.
/// `malloc_trim(0)` returns every whole free page (of all arenas) to the system. Swift's
/// Glibc module does not import <malloc.h>, so it is found by name; on a C library
/// without it (musl, macOS) this does nothing.
public func releaseFreedMemory() {
    if let trim = mallocTrim { _ = trim(0) }
}

private let mallocTrim: (@convention(c) (Int) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
}()
