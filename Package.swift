// swift-tools-version:6.1
import PackageDescription

// The hot loops of the engine and the picture code are built for AVX2/FMA
// (baseline x86-64 turns SIMD multiply-adds into libm calls: see MEASURED.md).
// They are optimised in debug builds too, so the one debug build that the tests,
// the protocol tests and the notebooks share trains at a usable speed.
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
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
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
        // Tensors, layers, losses, optimizers, training, data sets; knows nothing of Jupyter.
        .target(name: "Convnet", dependencies: ["CBLAS", "CZlib", "CPNG"], swiftSettings: fastMath),
        // Pixel images, PNG encoding, grids, colour maps, SVG charts.
        .target(name: "Pictures", dependencies: ["CPNG"], swiftSettings: fastMath),
        // The chapter's exercise bank and the checking of answers.
        .target(name: "Exercises", dependencies: ["Convnet"]),
        // Lexer, parser, evaluator, values, built-ins, session state.
        .target(
            name: "ConvnetLanguage",
            dependencies: [
                "Convnet", "Pictures", "Exercises", "JupyterProtocol",
            ]),
        // The command line: run as a kernel, install the kernelspec, run a script.
        .executableTarget(
            name: "convnet-kernel",
            dependencies: [
                "Jupyter", "JupyterProtocol", "ConvnetLanguage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The engine's training benchmark (bench/train drives it).
        .executableTarget(
            name: "convnet-bench",
            dependencies: ["Convnet", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: fastMath),

        .testTarget(name: "JupyterTests", dependencies: ["Jupyter", "JupyterProtocol"]),
        .testTarget(
            name: "ConvnetTests",
            dependencies: ["Convnet", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "PicturesTests", dependencies: ["Pictures"]),
        .testTarget(name: "ExercisesTests", dependencies: ["Exercises"]),
        .testTarget(
            name: "ConvnetLanguageTests",
            dependencies: [
                "ConvnetLanguage", "JupyterProtocol",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Cells")]),
    ],
    swiftLanguageModes: [.v6]
)
