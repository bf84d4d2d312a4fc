import COneDNN
import Foundation

/// A conv layer's forward, dX and dW run by oneDNN on one worker's run of images, reading
/// and writing the engine's own NCHW buffers.
///
/// oneDNN chooses its layouts (channels in blocks of 8 on AVX2, of 16 on AVX-512); each call
/// reorders its inputs into them and its outputs back, a few microseconds an image against
/// the tens the convolution saves (BENCHMARKS.md). A plan (the primitives, their blocked
/// buffers and scratchpads, one stream) is built the first time a worker sends a given
/// number of images, and kept: a worker's plans are touched by that worker alone.
final class OneDNNConv: @unchecked Sendable {
    private let library: OneDNNLibrary
    let geometry: ConvGeometry
    let filters: Int
    let hasBias: Bool
    /// Guards `workers` only; each worker's plans are its own.
    private let lock = NSLock()
    private var workers: [WorkerPlans] = []

    /// nil when oneDNN is not loaded.
    init?(geometry: ConvGeometry, filters: Int, hasBias: Bool) {
        guard case .success(let library) = OneDNNLibrary.shared else { return nil }
        self.library = library
        self.geometry = geometry
        self.filters = filters
        self.hasBias = hasBias
    }

    /// y = conv(x) for `images` images. Returns false (writing nothing) when oneDNN
    /// refuses the shape, so the layer runs its own kernels instead.
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
                 bias: UnsafePointer<Float>?, images: Int, worker: Int) -> Bool {
        guard let plan = plan(images: images, worker: worker) else { return false }
        do {
            try plan.forward(x, y, weights: weights, bias: bias)
            return true
        } catch {
            return false
        }
    }

    /// Adds dW (and dBias) of `images` images into `dWeights`, and writes dX unless nil.
    /// Returns false, having changed nothing, when oneDNN refuses the shape.
    func backward(_ x: UnsafePointer<Float>, _ dY: UnsafePointer<Float>, _ dX: UnsafeMutablePointer<Float>?,
                  weights: UnsafePointer<Float>, dWeights: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?,
                  images: Int, worker: Int) -> Bool {
        guard let plan = plan(images: images, worker: worker) else { return false }
        do {
            try plan.backward(x, dY, dX, weights: weights, dWeights: dWeights, dBias: dBias)
            return true
        } catch {
            return false
        }
    }

    /// Frees every plan (their buffers are batch-sized); the next call builds them again.
    /// Called with no pass running.
    func releasePlans() {
        lock.lock()
        workers = []
        lock.unlock()
    }

    /// The plan of `worker` for `images` images, built on first use; nil if oneDNN refused it.
    private func plan(images: Int, worker: Int) -> ConvPlan? {
        lock.lock()
        while workers.count <= worker { workers.append(WorkerPlans()) }
        let plans = workers[worker]
        lock.unlock()
        if let known = plans.byImages[images] { return known }
        // A few sizes recur (half a batch, the last short batch, an evaluation batch, one
        // image); an unbounded mix of sizes keeps the last few.
        if plans.byImages.count >= 6 { plans.byImages.removeAll() }
        let plan = try? ConvPlan(library: library, geometry: geometry, filters: filters, hasBias: hasBias, images: images)
        plans.byImages[images] = plan
        return plan
    }

    /// Which oneDNN implementations run forward, dX and dW for `images` images
    /// ("jit:avx2" ...), for the benchmark's layer table.
    func implementations(images: Int) -> String? {
        plan(images: images, worker: 0)?.implementations
    }
}

private final class WorkerPlans {
    var byImages: [Int: ConvPlan?] = [:]
}

/// The primitives and buffers of one layer for one worker and number of images.
private final class ConvPlan {
    private let library: OneDNNLibrary
    private var api: convnet_onednn_api { library.api }
    private let stream: dnnl_stream_t
    private let images: Int
    private let weightCount: Int
    private let filters: Int

    // The engine's buffers, as oneDNN sees them; their data handles are set per call.
    private let userSource, userDestination, userWeights, userBias: DNNLMemory
    private let userDiffDestination, userDiffSource: DNNLMemory
    // Gradients land here, then are added into the engine's gradient block.
    private let weightGradient, biasGradient: DNNLMemory

    private let forwardStep: DNNLPrimitive
    private let forwardSource, forwardWeights, forwardDestination: Staged
    private let attributes: dnnl_primitive_attr_t
    private var backwardSteps: BackwardSteps?
    /// The source forward last staged, so dW can reuse its reordered copy.
    private var stagedSource: UnsafeRawPointer?

    private struct BackwardSteps {
        let data: DNNLPrimitive
        let dataDiffDestination, dataWeights, dataDiffSource: Staged
        let weights: DNNLPrimitive
        let weightsSource, weightsDiffDestination, weightsDiffWeights: Staged
        let sharesDiffDestination, sharesSource: Bool
    }

    /// The memory descriptors of the shapes, in heap storage so C can be handed pointers to them.
    private enum Shape: Int, CaseIterable {
        case source, weights, bias, destination, anySource, anyWeights, anyDestination
    }
    private let shapes: UnsafeMutablePointer<dnnl_memory_desc_t>
    private func shape(_ s: Shape) -> UnsafeMutablePointer<dnnl_memory_desc_t> { shapes + s.rawValue }
    private let hasBias: Bool
    private let strides: [Int64]
    private let padLeft: [Int64]
    private let padRight: [Int64]
    private let forwardDescriptor: dnnl_primitive_desc_t

    init(library: OneDNNLibrary, geometry g: ConvGeometry, filters: Int, hasBias: Bool, images: Int) throws {
        self.library = library
        self.images = images
        self.filters = filters
        self.hasBias = hasBias
        weightCount = filters * g.channels * g.size * g.size
        let api = library.api
        let n = Int64(images)
        let sourceDims: [Int64] = [n, Int64(g.channels), Int64(g.height), Int64(g.width)]
        let weightDims: [Int64] = [Int64(filters), Int64(g.channels), Int64(g.size), Int64(g.size)]
        let destinationDims: [Int64] = [n, Int64(filters), Int64(g.outHeight), Int64(g.outWidth)]
        let dims: [Shape: ([Int64], dnnl_format_tag_t)] = [
            .source: (sourceDims, dnnl_nchw), .weights: (weightDims, dnnl_oihw), .bias: ([Int64(filters)], dnnl_x),
            .destination: (destinationDims, dnnl_nchw), .anySource: (sourceDims, dnnl_format_tag_any),
            .anyWeights: (weightDims, dnnl_format_tag_any), .anyDestination: (destinationDims, dnnl_format_tag_any),
        ]
        let shapes = UnsafeMutablePointer<dnnl_memory_desc_t>.allocate(capacity: Shape.allCases.count)
        shapes.initialize(repeating: dnnl_memory_desc_t(), count: Shape.allCases.count)
        self.shapes = shapes
        for (s, (d, tag)) in dims {
            try library.check(api.memory_desc_init_by_tag(shapes + s.rawValue, Int32(d.count), d, dnnl_f32, tag), "memory descriptor")
        }
        strides = [Int64(g.stride), Int64(g.stride)]
        padLeft = [Int64(g.pad), Int64(g.pad)]
        // oneDNN's right padding makes (in + left + right - size) / stride + 1 = out.
        padRight = [Int64((g.outHeight - 1) * g.stride + g.size - g.height - g.pad),
                    Int64((g.outWidth - 1) * g.stride + g.size - g.width - g.pad)]

        var stream: dnnl_stream_t?
        try library.check(api.stream_create(&stream, library.engine, dnnl_stream_default_flags.rawValue), "stream")
        self.stream = stream!
        var attributes: dnnl_primitive_attr_t?
        try library.check(api.primitive_attr_create(&attributes), "attributes")
        self.attributes = attributes!
        // Scratchpads belong to the plan, so two workers never share one.
        try library.check(api.primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "scratchpad mode")

        let user = { (s: Shape) in try DNNLMemory(library, shapes[s.rawValue], allocate: false) }
        userSource = try user(.source)
        userDestination = try user(.destination)
        userWeights = try user(.weights)
        userBias = try user(.bias)
        userDiffDestination = try user(.destination)
        userDiffSource = try user(.source)
        weightGradient = try DNNLMemory(library, shapes[Shape.weights.rawValue], allocate: true)
        biasGradient = try DNNLMemory(library, shapes[Shape.bias.rawValue], allocate: true)

        var op = dnnl_convolution_desc_t()
        try library.check(api.convolution_forward_desc_init(
            &op, dnnl_forward_training, dnnl_convolution_direct, shapes + Shape.anySource.rawValue,
            shapes + Shape.anyWeights.rawValue, hasBias ? shapes + Shape.bias.rawValue : nil,
            shapes + Shape.anyDestination.rawValue, strides, padLeft, padRight), "convolution forward")
        var pd: dnnl_primitive_desc_t?
        try library.check(api.primitive_desc_create(&pd, &op, attributes, library.engine, nil), "convolution forward")
        forwardDescriptor = pd!
        forwardStep = try DNNLPrimitive(library, descriptor: pd!)
        func wanted(_ what: dnnl_query_t) -> UnsafePointer<dnnl_memory_desc_t> { api.primitive_desc_query_md(pd, what, 0)! }
        forwardSource = try Staged(library, user: userSource, wanted: wanted(dnnl_query_src_md), into: true, attributes: attributes!)
        forwardWeights = try Staged(library, user: userWeights, wanted: wanted(dnnl_query_weights_md), into: true, attributes: attributes!)
        forwardDestination = try Staged(library, user: userDestination, wanted: wanted(dnnl_query_dst_md), into: false, attributes: attributes!)
    }

    deinit {
        backwardSteps = nil
        _ = api.primitive_desc_destroy(forwardDescriptor)
        _ = api.primitive_attr_destroy(attributes)
        _ = api.stream_destroy(stream)
        shapes.deallocate()
    }

    var implementations: String {
        let backward = (try? steps()).map { "dX \($0.data.implementation), dW \($0.weights.implementation)" } ?? "no backward"
        return "forward \(forwardStep.implementation), \(backward)"
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
                 bias: UnsafePointer<Float>?) throws {
        userSource.point(at: x)
        userDestination.point(at: y)
        userWeights.point(at: weights)
        try forwardSource.stageIn(stream)
        stagedSource = UnsafeRawPointer(x)
        try forwardWeights.stageIn(stream)
        var arguments = [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: forwardSource.memory.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: forwardWeights.memory.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: forwardDestination.memory.handle),
        ]
        if let bias {
            userBias.point(at: bias)
            arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: userBias.handle))
        }
        try forwardStep.execute(stream, arguments)
        try forwardDestination.stageOut(stream)
    }

    func backward(_ x: UnsafePointer<Float>, _ dY: UnsafePointer<Float>, _ dX: UnsafeMutablePointer<Float>?,
                  weights: UnsafePointer<Float>, dWeights: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?) throws {
        let steps = try steps()
        userSource.point(at: x)
        userWeights.point(at: weights)
        userDiffDestination.point(at: dY)

        // dW and dBias, into the plan's own buffers, then added to the gradient block.
        if !(steps.sharesSource && stagedSource == UnsafeRawPointer(x)) { try steps.weightsSource.stageIn(stream) }
        try steps.weightsDiffDestination.stageIn(stream)
        var arguments = [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: steps.weightsSource.memory.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_DIFF_DST, memory: steps.weightsDiffDestination.memory.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_DIFF_WEIGHTS, memory: steps.weightsDiffWeights.memory.handle),
        ]
        if hasBias { arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_DIFF_BIAS, memory: biasGradient.handle)) }
        try steps.weights.execute(stream, arguments)
        try steps.weightsDiffWeights.stageOut(stream)
        let gw = weightGradient.floats
        for j in 0..<weightCount { dWeights[j] += gw[j] }
        if let dBias {
            let gb = biasGradient.floats
            for f in 0..<filters { dBias[f] += gb[f] }
        }

        guard let dX else { return }
        userDiffSource.point(at: dX)
        if !steps.sharesDiffDestination { try steps.dataDiffDestination.stageIn(stream) }
        try steps.dataWeights.stageIn(stream)
        try steps.data.execute(stream, [
            dnnl_exec_arg_t(arg: DNNL_ARG_DIFF_DST, memory: steps.dataDiffDestination.memory.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: steps.dataWeights.memory.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_DIFF_SRC, memory: steps.dataDiffSource.memory.handle),
        ])
        try steps.dataDiffSource.stageOut(stream)
    }

    /// Backward's primitives, built on the first backward (an evaluation-only net never needs them).
    private func steps() throws -> BackwardSteps {
        if let backwardSteps { return backwardSteps }
        var dataOp = dnnl_convolution_desc_t()
        try library.check(api.convolution_backward_data_desc_init(
            &dataOp, dnnl_convolution_direct, shape(.anySource), shape(.anyWeights), shape(.anyDestination),
            strides, padLeft, padRight), "convolution backward data")
        var dataPD: dnnl_primitive_desc_t?
        try library.check(api.primitive_desc_create(&dataPD, &dataOp, attributes, library.engine, forwardDescriptor), "convolution backward data")
        defer { _ = api.primitive_desc_destroy(dataPD) }
        var weightsOp = dnnl_convolution_desc_t()
        try library.check(api.convolution_backward_weights_desc_init(
            &weightsOp, dnnl_convolution_direct, shape(.anySource), shape(.anyWeights), hasBias ? shape(.bias) : nil,
            shape(.anyDestination), strides, padLeft, padRight), "convolution backward weights")
        var weightsPD: dnnl_primitive_desc_t?
        try library.check(api.primitive_desc_create(&weightsPD, &weightsOp, attributes, library.engine, forwardDescriptor), "convolution backward weights")
        defer { _ = api.primitive_desc_destroy(weightsPD) }

        func md(_ pd: dnnl_primitive_desc_t?, _ what: dnnl_query_t) -> UnsafePointer<dnnl_memory_desc_t> {
            api.primitive_desc_query_md(pd, what, 0)!
        }
        let weightsSourceMD = md(weightsPD, dnnl_query_src_md)
        let weightsDiffDestinationMD = md(weightsPD, dnnl_query_diff_dst_md)
        let dataDiffDestinationMD = md(dataPD, dnnl_query_diff_dst_md)
        let sharesSource = api.memory_desc_equal(weightsSourceMD, md(forwardDescriptor, dnnl_query_src_md)) != 0
        let sharesDiffDestination = api.memory_desc_equal(weightsDiffDestinationMD, dataDiffDestinationMD) != 0
        let weightsStaging = try Staged(library, user: userDiffDestination, wanted: weightsDiffDestinationMD, into: true, attributes: attributes)
        let built = BackwardSteps(
            data: try DNNLPrimitive(library, descriptor: dataPD!),
            dataDiffDestination: sharesDiffDestination ? weightsStaging
                : try Staged(library, user: userDiffDestination, wanted: dataDiffDestinationMD, into: true, attributes: attributes),
            dataWeights: try Staged(library, user: userWeights, wanted: md(dataPD, dnnl_query_weights_md), into: true, attributes: attributes),
            dataDiffSource: try Staged(library, user: userDiffSource, wanted: md(dataPD, dnnl_query_diff_src_md), into: false, attributes: attributes),
            weights: try DNNLPrimitive(library, descriptor: weightsPD!),
            weightsSource: sharesSource ? forwardSource
                : try Staged(library, user: userSource, wanted: weightsSourceMD, into: true, attributes: attributes),
            weightsDiffDestination: weightsStaging,
            weightsDiffWeights: try Staged(library, user: weightGradient, wanted: md(weightsPD, dnnl_query_diff_weights_md), into: false, attributes: attributes),
            sharesDiffDestination: sharesDiffDestination, sharesSource: sharesSource)
        backwardSteps = built
        return built
    }
}

/// A oneDNN memory object: over the engine's buffer (its handle set per call) or over
/// storage oneDNN allocated.
private final class DNNLMemory {
    private let library: OneDNNLibrary
    let handle: dnnl_memory_t

    init(_ library: OneDNNLibrary, _ descriptor: dnnl_memory_desc_t, allocate: Bool) throws {
        self.library = library
        var descriptor = descriptor
        var memory: dnnl_memory_t?
        // DNNL_MEMORY_NONE is ((void *)0), DNNL_MEMORY_ALLOCATE ((void *)(size_t)-1).
        let storage = allocate ? UnsafeMutableRawPointer(bitPattern: UInt.max) : nil
        try library.check(library.api.memory_create(&memory, &descriptor, library.engine, storage), "memory")
        handle = memory!
    }

    convenience init(_ library: OneDNNLibrary, _ descriptor: UnsafePointer<dnnl_memory_desc_t>) throws {
        try self.init(library, descriptor.pointee, allocate: true)
    }

    deinit { _ = library.api.memory_destroy(handle) }

    func point(at buffer: UnsafePointer<Float>) {
        _ = library.api.memory_set_data_handle(handle, UnsafeMutableRawPointer(mutating: buffer))
    }

    var floats: UnsafeMutablePointer<Float> {
        var data: UnsafeMutableRawPointer?
        _ = library.api.memory_get_data_handle(handle, &data)
        return data!.assumingMemoryBound(to: Float.self)
    }
}

/// A primitive with its own scratchpad.
private final class DNNLPrimitive {
    private let library: OneDNNLibrary
    private let primitive: dnnl_primitive_t
    private let scratchpad: DNNLMemory?
    let implementation: String

    init(_ library: OneDNNLibrary, descriptor: dnnl_primitive_desc_t) throws {
        self.library = library
        let api = library.api
        var primitive: dnnl_primitive_t?
        try library.check(api.primitive_create(&primitive, descriptor), "primitive")
        self.primitive = primitive!
        let scratch = api.primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0)!
        scratchpad = api.memory_desc_get_size(scratch) > 0 ? try DNNLMemory(library, scratch) : nil
        var name: UnsafePointer<CChar>?
        _ = api.primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name)
        implementation = name.map { String(cString: $0) } ?? "unknown"
    }

    deinit { _ = library.api.primitive_destroy(primitive) }

    func execute(_ stream: dnnl_stream_t, _ arguments: [dnnl_exec_arg_t]) throws {
        var arguments = arguments
        if let scratchpad { arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpad.handle)) }
        try library.check(library.api.primitive_execute(primitive, stream, Int32(arguments.count), arguments), "execute")
    }
}

/// What a primitive reads or writes: the engine's buffer itself when the layouts agree,
/// else a buffer in oneDNN's layout with the reorder between the two.
private final class Staged {
    let memory: DNNLMemory
    private let user: DNNLMemory
    private let reorder: DNNLPrimitive?
    private let into: Bool

    /// - Parameter into: true for what the primitive reads (reordered in), false for what it writes.
    init(_ library: OneDNNLibrary, user: DNNLMemory, wanted: UnsafePointer<dnnl_memory_desc_t>, into: Bool,
         attributes: dnnl_primitive_attr_t) throws {
        let api = library.api
        self.user = user
        self.into = into
        var userDescriptor: UnsafePointer<dnnl_memory_desc_t>?
        _ = api.memory_get_memory_desc(user.handle, &userDescriptor)
        if api.memory_desc_equal(userDescriptor, wanted) != 0 {
            memory = user
            reorder = nil
            return
        }
        memory = try DNNLMemory(library, wanted)
        var pd: dnnl_primitive_desc_t?
        let (from, to) = into ? (userDescriptor, wanted) : (wanted, userDescriptor)
        try library.check(api.reorder_primitive_desc_create(&pd, from, library.engine, to, library.engine, attributes), "reorder")
        defer { _ = api.primitive_desc_destroy(pd) }
        reorder = try DNNLPrimitive(library, descriptor: pd!)
    }

    func stageIn(_ stream: dnnl_stream_t) throws {
        guard into, let reorder else { return }
        try reorder.execute(stream, [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: user.handle),
                                     dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: memory.handle)])
    }

    func stageOut(_ stream: dnnl_stream_t) throws {
        guard !into, let reorder else { return }
        try reorder.execute(stream, [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: memory.handle),
                                     dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: user.handle)])
    }
}
