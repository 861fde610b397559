import Foundation
import Synchronization
import Testing
@testable import ModelC
@testable import ModelRun

/// Building and probing runtime networks in tests.
enum RunSupport {
    /// Runs `modelc train` in-process; returns the exit code and what it printed (out, error).
    static func train(_ spec: String, _ options: TrainOptions, shouldStop: @escaping () -> Bool = { false })
        -> (code: Int32, out: String, error: String) {
        let (output, read) = capture()
        let code = TrainCommand.run(spec: spec, options: options, output: output, shouldStop: shouldStop)
        let printed = read()
        return (code, printed.out, printed.error)
    }

    /// A network for a spec (which must check), initialized from `seed`.
    static func network(_ yaml: String, sampleShape: [Int]? = nil, seed: UInt64 = 7, threads: Int = 1, capacity: Int = 8) throws -> Network {
        let result = TestSupport.check(yaml)
        let model = try #require(result.model, "\(result.diagnostics.map(\.message))")
        let network = try Network(model: model, sampleShape: sampleShape, threads: threads)
        network.reserve(capacity: capacity)
        Initializers.initialize(network, seed: seed)
        return network
    }

    /// The tensors of a safetensors file (a run's weights.safetensors).
    static func safetensors(_ path: String) throws -> [String: SafeTensors.Tensor] {
        try SafeTensors.decode([UInt8](try #require(FileManager.default.contents(atPath: path))), file: path)
    }

    static func load(_ path: String) throws -> NumpyArray {
        try NumpyArray.decode([UInt8](try #require(FileManager.default.contents(atPath: path))), file: path)
    }

    /// Random inputs: token ids below `vocabulary`, else values in [-1, 1].
    static func inputs(_ network: Network, batch: Int, vocabulary: Int? = nil, seed: UInt64 = 3) -> Buffer {
        var random = RandomSource(seed: seed)
        let buffer = Buffer(count: network.capacity * network.inputSize)
        for index in 0..<(batch * network.inputSize) {
            buffer[index] = vocabulary.map { Float(Int(random.next() % UInt64($0))) } ?? (random.nextUnitFloat() * 2 - 1)
        }
        return buffer
    }

    /// Random values for every input of a graph: token ids below `vocabulary` for inputs of ids,
    /// else values in [-1, 1].
    static func graphInputs(_ network: Network, batch: Int, vocabulary: Int = 10, seed: UInt64 = 3) -> [Buffer] {
        var random = RandomSource(seed: seed)
        return network.model.inputs.indices.map { index in
            let size = network.inputSizes[index]
            let buffer = Buffer(count: network.capacity * size)
            let ids = network.model.inputs[index].type.element == .tokenIDs
            for i in 0..<(batch * size) {
                buffer[i] = ids ? Float(Int(random.next() % UInt64(vocabulary))) : random.nextUnitFloat() * 2 - 1
            }
            return buffer
        }
    }

    /// Compares backpropagated gradients with central differences of L = Σ y·r (r fixed random),
    /// for every trainable parameter (a sample of elements each) and, unless the input holds token
    /// ids, the input. Runs in training mode with a fixed seed, so dropout masks stay put.
    /// Where the function is not smooth (a relu or max-pool kink within the step), the estimates at
    /// two step sizes disagree with each other; such elements are skipped, and at most a quarter of
    /// them may be. Returns a description of every element whose two gradients disagree.
    static func gradientMismatches(_ network: Network, input: Buffer, batch: Int, checkInput: Bool = true,
                                   step: Float = 1e-2, relativeTolerance: Float = 2e-2, absoluteTolerance: Float = 2e-3,
                                   samplesPerTensor: Int = 12) -> [String] {
        gradientMismatches(network, inputs: [input], batch: batch, checkInputs: checkInput ? [0] : [], step: step,
                           relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance,
                           samplesPerTensor: samplesPerTensor)
    }

    /// The same for a graph: L = Σ over every output of y·r, gradients of the parameters and of the
    /// inputs listed in `checkInputs` (indices of float inputs).
    static func gradientMismatches(_ network: Network, inputs: [Buffer], batch: Int, checkInputs: [Int],
                                   step: Float = 1e-2, relativeTolerance: Float = 2e-2, absoluteTolerance: Float = 2e-3,
                                   samplesPerTensor: Int = 12) -> [String] {
        let pass = Pass(training: true, batch: batch, executor: network.executor, seed: 11)
        var random = RandomSource(seed: 5)
        let counts = network.outputShapes.map { batch * $0.reduce(1, *) }
        let projections = counts.map { count in (0..<count).map { _ in random.nextUnitFloat() * 2 - 1 } }
        func loss() -> Double {
            network.forward(inputs: inputs, pass)
            var total = 0.0
            for (index, projection) in projections.enumerated() {
                let y = network.output(index)
                for i in 0..<counts[index] { total += Double(y[i]) * Double(projection[i]) }
            }
            return total
        }
        _ = loss()
        network.beginBackward(pass, inputGradients: !checkInputs.isEmpty)
        for (index, projection) in projections.enumerated() {
            let gradient = network.outputGradients[network.outputs[index]]
            for i in 0..<counts[index] { gradient[i] = projection[i] }
        }
        network.backward(pass)
        var analytic: [(String, Buffer, Int, Float)] = []
        for parameter in network.parameters where parameter.trainable {
            for _ in 0..<min(samplesPerTensor, parameter.count) {
                let index = Int(random.next() % UInt64(parameter.count))
                analytic.append((parameter.name, parameter.value, index, parameter.gradient[index]))
            }
        }
        for input in checkInputs {
            for _ in 0..<samplesPerTensor {
                let index = Int(random.next() % UInt64(batch * network.inputSizes[input]))
                analytic.append(("input \(input)", inputs[input], index, network.inputGradients[input][index]))
            }
        }
        func centralDifference(_ buffer: Buffer, _ index: Int, _ h: Float) -> Float {
            let original = buffer[index]
            buffer[index] = original + h
            let plus = loss()
            buffer[index] = original - h
            let minus = loss()
            buffer[index] = original
            return Float((plus - minus) / (2 * Double(h)))
        }
        func close(_ a: Float, _ b: Float) -> Bool {
            abs(a - b) <= absoluteTolerance + relativeTolerance * max(abs(a), abs(b))
        }
        var mismatches: [String] = []
        var skipped = 0
        for (name, buffer, index, expected) in analytic {
            let coarse = centralDifference(buffer, index, step)
            let fine = centralDifference(buffer, index, step / 2)
            if !close(coarse, fine) {
                skipped += 1
                continue
            }
            if !close(fine, expected) {
                mismatches.append("\(name)[\(index)]: backprop \(expected), finite difference \(fine)")
            }
        }
        if skipped * 4 > analytic.count {
            mismatches.append("\(skipped) of \(analytic.count) elements sit at kinks; the check says nothing")
        }
        return mismatches
    }

    /// What an in-process command printed.
    struct Printed {
        var code: Int32
        var out: String
        var error: String
    }

    /// A `CommandOutput` that keeps what it is given, and a way to read it back.
    static func capture() -> (CommandOutput, @Sendable () -> (out: String, error: String)) {
        let printed = Mutex<(out: String, error: String)>(("", ""))
        let output = CommandOutput(out: { text in printed.withLock { $0.out += text } },
                                   error: { text in printed.withLock { $0.error += text } })
        return (output, { printed.withLock { $0 } })
    }

    /// Writes `yaml` as spec.yaml in `directory` and runs `modelc train` on it in-process (run
    /// directory `directory/run` unless `options` names one).
    static func train(_ yaml: String, in directory: String, options: TrainOptions = TrainOptions()) throws -> Printed {
        try AtomicFile.write(yaml, to: directory + "/spec.yaml")
        var options = options
        if options.runDirectory == nil { options.runDirectory = directory + "/run" }
        let result = train(directory + "/spec.yaml", options)
        return Printed(code: result.code, out: result.out, error: result.error)
    }
}
