import Foundation
@testable import ModelC

/// Paths and shortcuts shared by the tests.
enum TestSupport {
    /// The package root (this file is Tests/ModelCTests/TestSupport.swift).
    static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// `../shared` beside the project root: datasets, Keras cases and seeds.
    static let sharedRoot = packageRoot + "/../shared"

    /// The `modelc` executable SwiftPM built next to the test bundle.
    static let executable: String = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("modelc").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return packageRoot + "/.build/debug/modelc"
    }()

    /// A fresh folder under the system's temporary directory, named after `label`; the caller removes it.
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "modelc-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    static func files(in directory: String, withExtension ext: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix("." + ext) }.sorted().map { directory + "/" + $0 }
    }

    /// Checks YAML text as if it were a file named `spec.yaml`.
    static func check(_ yaml: String, path: String = "spec.yaml") -> SpecChecker.Result {
        SpecChecker.check(SourceFile(path: path, text: yaml))
    }

    /// The checked model; records a failure listing the diagnostics if there is none.
    static func model(_ yaml: String) -> TypedModel? {
        check(yaml).model
    }

    /// The error messages (warnings excluded), in source order.
    static func errors(_ yaml: String) -> [String] {
        check(yaml).diagnostics.filter { $0.severity == .error }.map(\.message)
    }

    static func warnings(_ yaml: String) -> [String] {
        check(yaml).diagnostics.filter { $0.severity == .warning }.map(\.message)
    }

    /// Reads `pipe` into `seen` until it holds `marker` (or the writer closes it).
    static func read(_ pipe: Pipe, until marker: String, into seen: inout Data) {
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { return }
            seen.append(chunk)
        }
    }

    /// Runs the built executable in `directory` (the package root by default); returns its exit code and outputs.
    static func run(_ arguments: [String], in directory: String = packageRoot) throws -> (code: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

/// A small deterministic generator (SplitMix64) so fuzz-style tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
