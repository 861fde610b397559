import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Timing of the IMDB-sized LSTM training step; runs only with MODELC_BENCHMARK set (prints, asserts nothing about time).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["MODELC_BENCHMARK"] != nil))
struct RecurrentBenchmarkTests {
    @Test(arguments: ["LSTM 8", "GRU 8", "SimpleRNN 8", "Bidirectional: {layer: {LSTM: {units: 8}}}"])
    func imdbStep(_ layer: String) throws {
        let batch = 64
        let network = try RunSupport.network("input: [100]\nlayers:\n  - Embedding 500x16\n  - \(layer)\n  - Dense 1 sigmoid\n", capacity: batch)
        let input = RunSupport.inputs(network, batch: batch, vocabulary: 500)
        let dy = Buffer(count: batch * network.outputSize)
        for i in 0..<dy.count { dy[i] = 0.1 }
        let pass = Pass(training: true, batch: batch, executor: network.executor, seed: 1)
        for _ in 0..<5 { network.forward(input, pass); network.backward(dy, pass) }
        // The fastest of several rounds, so other load on the machine shows less.
        var forward = Double.infinity, both = Double.infinity
        let steps = 20
        for _ in 0..<Int(ProcessInfo.processInfo.environment["MODELC_BENCHMARK_ROUNDS"] ?? "5")! {
            var start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<steps { network.forward(input, pass) }
            forward = min(forward, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(steps) / 1e6)
            start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<steps { network.forward(input, pass); network.backward(dy, pass) }
            both = min(both, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(steps) / 1e6)
        }
        print("BENCH \(layer): forward \(String(format: "%.3f", forward)) ms, forward+backward \(String(format: "%.3f", both)) ms")
        #expect(both > 0)
    }
}
