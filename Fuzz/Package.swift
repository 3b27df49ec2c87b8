// swift-tools-version: 6.1
// The fuzz targets of kconform, kept out of the main package's build (as swift-protobuf's FuzzTesting/):
// `swift build` and `swift test` at the repository root never see them. Build them instrumented with
// build.sh (`--sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address`); README.md says how to run them.
import PackageDescription

let targets = ["FuzzZip", "FuzzHDF5", "FuzzJSON", "FuzzConfig", "FuzzKerasFile", "FuzzStructured"]

let package = Package(
    name: "KConformFuzz",
    products: targets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "kconform", path: "..")],
    targets: targets.map {
        .executableTarget(name: $0, dependencies: [.product(name: "KerasFuzzChecks", package: "kconform")])
    },
    swiftLanguageModes: [.v6]
)
