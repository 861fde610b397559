// swift-tools-version: 6.0
import PackageDescription
import Foundation

let package = Package(
    name: "modelc",
    products: [
        .executable(name: "modelc", targets: ["modelc"]),
        // libhdf5's reading of untrusted files, in a process of its own (HDF5Isolation); installed beside modelc.
        .executable(name: "modelc-hdf5", targets: ["modelc-hdf5"]),
        .library(name: "ModelC", targets: ["ModelC"]),
        // For Fuzz/Package.swift, whose targets call the data and weights readers.
        .library(name: "ModelRun", targets: ["ModelRun"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        // The TensorBoard callback's Event and Summary messages (generated code committed; see
        // Scripts/generate-protobuf.sh).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // libyaml (Debian: libyaml-dev), read through its event API so every node keeps its line and column.
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Spec → check → report; the executor plugs in beside these folders.
        .target(
            name: "ModelC",
            dependencies: ["CYAML"],
            path: "Sources/ModelC"
        ),
        // OpenBLAS (Debian: libopenblas-dev) for matrix products.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // libhdf5 (Debian: libhdf5-dev) for Keras's .h5 files and the weights inside .keras archives;
        // a shim gives Swift the constants and versioned calls HDF5 defines as macros.
        .systemLibrary(
            name: "CHDF5",
            path: "Sources/CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        // The executor: kernels, layers, losses, optimizers, trainer, weights and data files.
        .target(
            name: "ModelRun",
            dependencies: [
                "ModelC",
                "COpenBLAS",
                "CHDF5",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Sources/ModelRun",
            swiftSettings: modelRunSettings
        ),
        // Graphviz (Debian: libgraphviz-dev) lays out and renders `modelc plot` in-process.
        .systemLibrary(
            name: "CGraphviz",
            path: "Sources/CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]
        ),
        // The picture Keras's plot_model draws: DOT text from a checked model, laid out by Graphviz.
        .target(
            name: "ModelPlot",
            dependencies: ["ModelC", "ModelRun", "CGraphviz"],
            path: "Sources/ModelPlot"
        ),
        // `modelc lsp`: a Language Server Protocol server on stdio, on the checker and the catalogue.
        .target(
            name: "ModelLSP",
            dependencies: ["ModelC"],
            path: "Sources/ModelLSP"
        ),
        // The command-line tool stays thin: argument parsing and exit codes only.
        .executableTarget(
            name: "modelc",
            dependencies: [
                "ModelC",
                "ModelRun",
                "ModelPlot",
                "ModelLSP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/modelc"
        ),
        .executableTarget(
            name: "modelc-hdf5",
            dependencies: ["ModelRun"],
            path: "Sources/modelc-hdf5"
        ),
        .testTarget(
            name: "ModelCTests",
            dependencies: ["ModelC", "ModelRun", "ModelPlot", "ModelLSP", "modelc", "modelc-hdf5", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Tests/ModelCTests"
        ),
    ]
)

// Release builds on x86-64 compile the executor for AVX2 (every x86-64 CPU since 2013–2015): the
// recurrent cells' vectorized exp/sigmoid/tanh then run eight lanes per instruction instead of
// four, about 1.5× faster training for the IMDB-shaped models (BENCHMARKS.md). No FMA: products
// and sums round as before. Debug builds (tests, CI) stay baseline x86-64; MODELC_PORTABLE=1 builds
// a release binary for older CPUs.
var modelRunSettings: [SwiftSetting] {
    let optimizedDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
    #if arch(x86_64)
    if ProcessInfo.processInfo.environment["MODELC_PORTABLE"] == nil {
        return optimizedDebug + [.unsafeFlags(["-Xcc", "-mavx2"], .when(configuration: .release)),
                .define("MODELRUN_AVX2", .when(configuration: .release))]
    }
    #endif
    return optimizedDebug
}
