// swift-tools-version: 6.1
// kconform: an independent reference implementation and conformance suite for the Keras model file formats.
// Targets and their boundaries are described in docs/ARCHITECTURE.md.
import PackageDescription

let package = Package(
    name: "kconform",
    products: [
        .executable(name: "kconform", targets: ["kconform"]),
        .library(name: "KerasFormat", targets: ["KerasFormat"]),
        .library(name: "KerasZip", targets: ["KerasZip"]),
        .library(name: "KerasHDF5", targets: ["KerasHDF5"]),
        .library(name: "KerasJSON", targets: ["KerasJSON"]),
        .library(name: "KerasNpy", targets: ["KerasNpy"]),
        .library(name: "KerasReference", targets: ["KerasReference"]),
        .library(name: "KerasConformance", targets: ["KerasConformance"]),
        // For the harnesses of the sibling package Fuzz/ only.
        .library(name: "KerasFuzzChecks", targets: ["KerasFuzzChecks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // System libraries: module maps and tiny C shims only. Never used to parse untrusted bytes.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),

        // Bounds-checked byte views and cursors shared by the three readers.
        .target(name: "KerasBytes", dependencies: ["CZlib"]),
        // Strict readers of untrusted bytes (pure Swift; zlib only for inflate) and writers of trusted data.
        .target(name: "KerasZip", dependencies: ["KerasBytes", "CZlib", "CZip"]),
        .target(name: "KerasHDF5", dependencies: ["KerasBytes", "CZlib", "CHDF5"]),
        .target(name: "KerasJSON", dependencies: ["KerasBytes"]),
        .target(name: "KerasNpy", dependencies: ["KerasBytes"]),
        // The file model and the rule engine.
        .target(name: "KerasFormat", dependencies: ["KerasZip", "KerasHDF5", "KerasJSON", "KerasNpy", "KerasBytes"]),
        // The reference save/load core: object model, layers and tensors, graphs, weights, predict.
        .target(name: "KerasReference", dependencies: ["KerasFormat", "KerasJSON", "KerasHDF5", "KerasBytes", "KerasNpy"]),
        // Generators of random valid models, configs, weights and inputs, mutators, properties, the conformance runner.
        .target(name: "KerasConformance", dependencies: ["KerasReference", "KerasFormat", "KerasZip", "KerasHDF5", "KerasJSON", "KerasNpy", "KerasBytes", "KerasOracles"]),
        // The per-surface fuzz checks, shared by Fuzz/ harnesses and the FailCases regression tests.
        .target(name: "KerasFuzzChecks", dependencies: ["KerasZip", "KerasHDF5", "KerasJSON", "KerasFormat", "KerasReference", "KerasConformance", "KerasBytes"]),
        // Readers through libzip/libhdf5, for differential tests only.
        .target(name: "KerasOracles", dependencies: ["CZip", "CHDF5", "KerasBytes", "KerasHDF5"]),
        .executableTarget(
            name: "kconform",
            dependencies: ["KerasFormat", "KerasReference", "KerasConformance", "KerasNpy", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .testTarget(name: "KerasBytesTests", dependencies: ["KerasBytes", "CZlib"]),
        .testTarget(name: "KerasZipTests", dependencies: ["KerasZip", "KerasOracles", "CZlib"], exclude: ["Fixtures"]),
        .testTarget(name: "KerasHDF5Tests", dependencies: ["KerasHDF5", "KerasOracles"], exclude: ["Fixtures"]),
        .testTarget(name: "KerasJSONTests", dependencies: ["KerasJSON"], exclude: ["Fixtures"]),
        .testTarget(name: "KerasNpyTests", dependencies: ["KerasNpy"]),
        .testTarget(name: "KerasFormatTests", dependencies: ["KerasFormat", "KerasOracles", "KerasFuzzChecks"]),
        .testTarget(name: "KerasReferenceTests", dependencies: ["KerasReference", "KerasNpy", "KerasZip", "KerasHDF5"], exclude: ["known_unsupported.txt"]),
        .testTarget(name: "KerasConformanceTests", dependencies: [
            "KerasConformance", "KerasReference", "KerasFormat", "KerasZip", "KerasHDF5", "KerasJSON", "KerasOracles", "KerasBytes",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "kconformTests", dependencies: ["kconform", "KerasNpy", "KerasBytes", "KerasConformance", "KerasZip"]),
    ],
    swiftLanguageModes: [.v6]
)
