import Convnet

extension Dataset {
    /// The centre `size`x`size` crop of every image (net C's 24x24 inputs).
    func centreCropped(to size: Int) -> Dataset {
        let (w, h) = (volume.width, volume.height)
        let (x0, y0) = ((w - size) / 2, (h - size) / 2)
        let outCount = count * size * size * volume.depth
        let out = [UInt8](unsafeUninitializedCapacity: outCount) { buffer, initialized in
            pixels.withUnsafeBufferPointer { p in
                var dst = buffer.baseAddress!
                for i in 0..<count {
                    for c in 0..<volume.depth {
                        for y in 0..<size {
                            let row = p.baseAddress! + i * volume.count + c * w * h + (y0 + y) * w + x0
                            dst.update(from: row, count: size)
                            dst += size
                        }
                    }
                }
            }
            initialized = outCount
        }
        return Dataset(name: name + " 24x24", volume: Volume(size, size, volume.depth), pixels: SharedArray(out),
                       labels: labels, classNames: classNames)
    }
}
