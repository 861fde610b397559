// swift-tools-version: 6.0
// libFuzzer targets for modelc's readers, kept out of the main package so that `swift build`,
// `swift build --build-tests` and CI never compile them. Scripts/fuzz.sh builds one with
//   swift build --package-path Fuzz --scratch-path .build-fuzz -c release
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --product fuzz-TARGET
// (gold, the default linker, stops with an internal error on these executables; lld links them).
// Each target's main.swift hands its input function to libFuzzer's driver (FuzzSupport/FuzzDriver.swift).
import PackageDescription
import Foundation

// A path dependency's identity is its folder's name (`modelc` in a clone, anything in a worktree).
let modelc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

func fuzzTarget(_ name: String, _ products: [String], _ more: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: modelc) } + more,
        path: "Sources/fuzz-\(name)")
}

let package = Package(
    name: "modelc-fuzz",
    dependencies: [
        .package(path: ".."),
        // The .npz seeds are deflated with it, as numpy.savez_compressed would.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // What every target shares: libFuzzer's driver, seed files, the check that every diagnostic is located.
        .target(name: "FuzzSupport", dependencies: [.product(name: "ModelC", package: modelc)], path: "Sources/FuzzSupport"),
        fuzzTarget("spec", ["ModelC"]),
        fuzzTarget("shorthand", ["ModelC"]),
        fuzzTarget("safetensors", ["ModelRun"]),
        fuzzTarget("npy", ["ModelRun"]),
        fuzzTarget("npz", ["ModelRun"], [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        fuzzTarget("numeric-csv", ["ModelRun"]),
        fuzzTarget("text-csv", ["ModelRun"]),
        fuzzTarget("vocabulary", ["ModelC", "ModelRun"]),
        fuzzTarget("keras", ["ModelC", "ModelRun"]),
    ]
)
