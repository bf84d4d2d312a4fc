// swift-tools-version:6.1
import PackageDescription

// The hot loops of the engine and the picture code are built for AVX2/FMA
// (baseline x86-64 turns SIMD multiply-adds into libm calls: see MEASURED.md).
// Users, the protocol tests and the benchmarks all run the release build (`make build`);
// these modules are optimised in the debug build of `swift test` too, so its training
// tests run at a usable speed.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"]),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "convnet-kernel",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "convnet-kernel", targets: ["convnet-kernel"]),
        .library(name: "Convnet", targets: ["Convnet"]),
        .library(name: "JupyterProtocol", targets: ["JupyterProtocol"]),
        .library(name: "Jupyter", targets: ["Jupyter"]),
        .library(name: "Widgets", targets: ["Widgets"]),
        // For the fuzz targets (Fuzz/Package.swift), which drive the language through its public API.
        .library(name: "ConvnetLanguage", targets: ["ConvnetLanguage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CZMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // Declarations only (cblas.h is on the default include path): the engine dlopens
        // OpenBLAS after choosing its core, so nothing links it (Kernels/BLASLibrary.swift).
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        // cpuid and xgetbv, built for baseline x86-64: it says whether the CPU runs AVX2/FMA
        // before any code built with -target-cpu haswell runs.
        .target(name: "CCPUID"),
        // oneDNN's C API (libdnnl-dev's headers) as pointers filled by dlopen: the engine loads
        // it when a net first needs it (Kernels/OneDNNLibrary.swift), so nothing links it.
        .target(name: "COneDNN"),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The protocol without sockets: JSON, headers, messages, mime bundles and the
        // Interpreter/ExecutionContext protocols a language implements (as xeus's core).
        .target(
            name: "JupyterProtocol",
            dependencies: [.product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The server: connection file, wire format and signing, the five ZeroMQ sockets, the
        // server loop; knows nothing of convnets or the language.
        .target(
            name: "Jupyter",
            dependencies: [
                "JupyterProtocol", "CZMQ", "CCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            // Every message goes through this module: optimised in the shared debug build too.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Jupyter widgets (ipywidgets 8's models, protocol 2.1.0) over the protocol's comms,
        // as xwidgets sits on xeus; knows nothing of sockets, convnets or the language.
        // Every widget message goes through it: optimised in the shared debug build too.
        .target(
            name: "Widgets", dependencies: ["JupyterProtocol"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Tensors, layers, losses, optimizers, training, data sets; knows nothing of Jupyter.
        .target(
            name: "Convnet",
            dependencies: ["CBLAS", "CCPUID", "COneDNN", "CZlib", "CPNG", .product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: fastMath),
        // Pixel images, PNG encoding, grids, colour maps, SVG charts.
        .target(name: "Pictures", dependencies: ["CPNG"], swiftSettings: fastMath),
        // The chapter's exercise bank and the checking of answers.
        .target(name: "Exercises", dependencies: ["Convnet"]),
        // Lexer, parser, evaluator, values, built-ins, session state.
        .target(
            name: "ConvnetLanguage",
            dependencies: [
                "Convnet", "Pictures", "Exercises", "JupyterProtocol", "Widgets",
            ]),
        // The command line: run as a kernel, install the kernelspec, run a script.
        .executableTarget(
            name: "convnet-kernel",
            dependencies: [
                "Jupyter", "JupyterProtocol", "ConvnetLanguage", "CCPUID",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Compiled in, so an installed binary writes its kernelspec with nothing beside it.
            resources: [
                .embedInCode("Kernelspec/kernel.json"), .embedInCode("Kernelspec/logo-32x32.png"),
                .embedInCode("Kernelspec/logo-64x64.png"),
            ]),
        // The engine's training benchmark (bench/train drives it). Baseline x86-64, as the
        // kernel's command is, so its CPU check runs on any CPU; its hot loops are the engine's.
        .executableTarget(
            name: "convnet-bench",
            dependencies: ["Convnet", "CCPUID", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .testTarget(name: "JupyterTests", dependencies: ["Jupyter", "JupyterProtocol"]),
        .testTarget(name: "WidgetsTests", dependencies: ["Widgets", "JupyterProtocol"]),
        .testTarget(
            name: "ConvnetTests",
            dependencies: ["Convnet", "CCPUID", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "PicturesTests", dependencies: ["Pictures"]),
        .testTarget(name: "ExercisesTests", dependencies: ["Exercises"]),
        .testTarget(
            name: "ConvnetLanguageTests",
            dependencies: [
                "ConvnetLanguage", "JupyterProtocol", "Pictures",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Cells")]),
    ],
    swiftLanguageModes: [.v6]
)
