// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for the kernel's parsers (FUZZING.md). A package of its own so the
// product's build never sees them: `Fuzz/run` builds it with
// `swift build --package-path Fuzz/Targets --scratch-path .build-fuzz --sanitize fuzzer --sanitize address`,
// which instruments the real modules of the package above, not copies.
let package = Package(
    name: "convnet-kernel-fuzz",
    dependencies: [.package(name: "convnet-kernel", path: "../..")],
    targets: [
        // The choice decoder and the invariant check the targets share.
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "LexerParserFuzzer",
            dependencies: ["FuzzSupport", .product(name: "ConvnetLanguage", package: "convnet-kernel"),
                .product(name: "JupyterProtocol", package: "convnet-kernel"),
            ]),
        .executableTarget(
            name: "EvaluatorFuzzer",
            dependencies: [
                "FuzzSupport", .product(name: "ConvnetLanguage", package: "convnet-kernel"),
                .product(name: "JupyterProtocol", package: "convnet-kernel"),
            ]),
        .executableTarget(
            name: "WireFuzzer",
            dependencies: [
                "FuzzSupport", .product(name: "Jupyter", package: "convnet-kernel"),
                .product(name: "JupyterProtocol", package: "convnet-kernel"),
            ]),
        .executableTarget(
            name: "ConnectionFileFuzzer",
            dependencies: [
                "FuzzSupport", .product(name: "Jupyter", package: "convnet-kernel"),
                .product(name: "JupyterProtocol", package: "convnet-kernel"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
