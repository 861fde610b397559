import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Helpers for the convolution, pooling, normalization and TimeDistributed tests.
enum KernelTestSupport {
    /// v[i] = scale · sin(a·i + b) in double, rounded to float: inputs and weights the Keras reference
    /// script (/work/probe/helperB/reference.py) builds the same way.
    static func wave(_ count: Int, _ a: Double, _ b: Double, scale: Double = 1, offset: Double = 0) -> [Float] {
        (0..<count).map { Float(Float(scale * sin(a * Double($0) + b)) + Float(offset)) }
    }

    static func set(_ parameter: Parameter, _ values: [Float]) {
        precondition(values.count == parameter.count)
        for (index, value) in values.enumerated() { parameter.value[index] = value }
    }

    /// Runs one forward pass on `values` (batch-major) and returns the outputs.
    static func forward(_ network: Network, _ values: [Float], batch: Int, training: Bool = false, seed: UInt64 = 0) -> [Float] {
        let input = Buffer(count: network.capacity * network.inputSize)
        for (index, value) in values.enumerated() { input[index] = value }
        let y = network.forward(input, Pass(training: training, batch: batch, executor: network.executor, seed: seed))
        return y.array(count: batch * network.outputSize)
    }

    /// The largest |a - b|, or infinity when the counts differ.
    static func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    static func largestDifference(_ a: [Float], _ b: [Double]) -> Float {
        largestDifference(a, b.map(Float.init))
    }

    /// TensorFlow's SAME padding on the left for a window spanning `span` steps.
    static func sameLeftPadding(length: Int, span: Int, stride: Int) -> Int {
        let outputs = (length + stride - 1) / stride
        return max((outputs - 1) * stride + span - length, 0) / 2
    }
}

/// Conv1D: gradients by finite differences, forward against a double-precision oracle and Keras.
@Suite struct ConvolutionTests {
    typealias Support = KernelTestSupport

    @Test(arguments: [
        "{filters: 3, kernel_size: 3, padding: valid}",
        "{filters: 3, kernel_size: 3, padding: same}",
        "{filters: 3, kernel_size: 3, padding: causal}",
        "{filters: 2, kernel_size: 3, strides: 2, padding: same}",
        "{filters: 2, kernel_size: 2, strides: 2, padding: valid}",
        "{filters: 2, kernel_size: 3, dilation_rate: 2, padding: causal}",
        "{filters: 2, kernel_size: 2, dilation_rate: 2, padding: same}",
        "{filters: 3, kernel_size: 3, use_bias: false, padding: same}",
        "{filters: 3, kernel_size: 3, activation: tanh, padding: same}",
        "{filters: 3, kernel_size: 1, activation: softplus}",
        "{filters: 2, kernel_size: 1, strides: 2}",
    ])
    func gradientsMatchFiniteDifferences(_ arguments: String) throws {
        let network = try RunSupport.network("input: [7, 3]\nlayers:\n  - Conv1D: \(arguments)\n")
        let input = RunSupport.inputs(network, batch: 5)
        #expect(RunSupport.gradientMismatches(network, input: input, batch: 5) == [])
    }

    @Test func gradientsOnAFourDimensionalInput() throws {
        let network = try RunSupport.network("input: [2, 6, 3]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 3, padding: same, activation: elu}\n")
        #expect(network.outputShape == [2, 6, 2])
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 3), batch: 3) == [])
    }

    @Test func gradientsThroughAStackWithSmallUnfoldingGroups() throws {
        // Groups of one sequence: the unfolding workspace is reused within a chunk.
        let network = try RunSupport.network("input: [9, 2]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3, padding: causal}\n  - Conv1D: {filters: 2, kernel_size: 2, strides: 2}\n")
        for layer in network.layers {
            let convolution = try #require(layer as? Conv1DLayer)
            convolution.columnBudget = 1
            convolution.reserveWorkspaces(capacity: network.capacity)
            #expect(convolution.groupSequences == 1)
        }
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 6), batch: 6) == [])
    }

    /// z[q, o, f] = bias[f] + Σ_j Σ_c x[q, o·s - pad + j·d, c] · kernel[j, c, f], in double.
    static func oracle(x: [Float], sequences: Int, length: Int, channels: Int, kernel: [Float], bias: [Float]?,
                       filters: Int, size: Int, stride: Int, dilation: Int, padding: String) -> [Double] {
        let span = (size - 1) * dilation + 1
        let outputs: Int, pad: Int
        switch padding {
        case "same": (outputs, pad) = ((length + stride - 1) / stride, Support.sameLeftPadding(length: length, span: span, stride: stride))
        case "causal": (outputs, pad) = ((length + stride - 1) / stride, span - 1)
        default: (outputs, pad) = ((length - span) / stride + 1, 0)
        }
        var z = [Double](repeating: 0, count: sequences * outputs * filters)
        for q in 0..<sequences {
            for o in 0..<outputs {
                for f in 0..<filters {
                    var sum = Double(bias?[f] ?? 0)
                    for j in 0..<size {
                        let step = o * stride - pad + j * dilation
                        guard step >= 0, step < length else { continue }
                        for c in 0..<channels {
                            sum += Double(x[(q * length + step) * channels + c]) * Double(kernel[(j * channels + c) * filters + f])
                        }
                    }
                    z[(q * outputs + o) * filters + f] = sum
                }
            }
        }
        return z
    }

    @Test(arguments: [
        (3, 1, 1, "valid"), (3, 1, 1, "same"), (4, 1, 1, "same"), (3, 1, 1, "causal"), (3, 2, 1, "same"),
        (2, 3, 1, "valid"), (4, 3, 1, "same"), (3, 1, 2, "causal"), (2, 1, 3, "same"), (1, 2, 1, "valid"), (9, 1, 1, "same"),
    ])
    func forwardMatchesTheOracle(_ size: Int, _ stride: Int, _ dilation: Int, _ padding: String) throws {
        let (length, channels, filters, batch) = (8, 3, 4, 3)
        let network = try RunSupport.network("input: [\(length), \(channels)]\nlayers:\n  - Conv1D: {filters: \(filters), kernel_size: \(size), strides: \(stride), dilation_rate: \(dilation), padding: \(padding)}\n")
        let x = Support.wave(batch * length * channels, 0.37, 0.1)
        let kernel = network.parameters[0].value.array, bias = network.parameters[1].value.array
        let expected = Self.oracle(x: x, sequences: batch, length: length, channels: channels, kernel: kernel, bias: bias,
                                   filters: filters, size: size, stride: stride, dilation: dilation, padding: padding)
        let y = Support.forward(network, x, batch: batch)
        #expect(Support.largestDifference(y, expected) < 1e-5)
    }

    /// Keras's outputs (tf_keras 2.21, reference.py): x = sin(0.37i + 0.1); kernel, bias = 0.5·sin(0.23i + 0.4).
    static let kerasCases: [(String, [Int], [Float])] = [
        ("{filters: 2, kernel_size: 3, padding: same}", [7, 3],
         [-0.033178255, -0.308849186, 1.65462732, 1.45957744, 2.24130464, 2.58159471, 0.554875672, 1.16346896, -1.53158212, -1.21972024, -1.700688, -1.92101955, 0.751263976, 0.597507477, 1.29870832, 1.16834593, 1.87182498, 2.36031842, -0.245359883, 0.321702421, -1.87377012, -1.74704671, -1.20476806, -1.54821634, 1.01860118, 0.69735682, 2.00795364, 2.12071848]),
        ("{filters: 2, kernel_size: 3, padding: causal, dilation_rate: 2}", [7, 3],
         [-0.210777476, -0.20761326, -0.418732345, -0.573122859, 0.440202236, 0.289370328, 1.73185003, 1.75467765, 1.86795115, 2.20069957, 0.665990293, 1.17716479, -1.05941164, -0.826645017, -0.321174622, -0.464446992, 0.290896505, 0.35123387, 1.8039465, 1.92109418, 0.810945392, 1.1451391, 0.0316332281, 0.493414164, -1.39412165, -1.31537187, -1.05519891, -1.33603001]),
        ("{filters: 2, kernel_size: 2, dilation_rate: 3}", [7, 3],
         [0.184351549, 0.4879798, 0.159180567, 0.638411582, 0.173470333, 0.406949103, 0.211349621, 0.0506723523, 0.159438163, 0.597644269, 0.185676172, 0.278340816, 0.221946955, -0.0229346752, 0.227965385, 0.0284377038]),
        ("{filters: 2, kernel_size: 3, padding: same, strides: 2}", [7, 3],
         [-0.033178255, -0.308849186, 2.24130464, 2.58159471, -1.53158212, -1.21972024, 0.751263976, 0.597507477, 1.29870832, 1.16834593, -0.245359883, 0.321702421, -1.20476806, -1.54821634, 2.00795364, 2.12071848]),
        ("{filters: 2, kernel_size: 4, padding: same, strides: 3}", [8, 3],
         [-0.632987559, -0.886753798, 0.931993902, 1.54207659, 0.235380203, -0.161511868, 2.07347703, 2.30877304, -2.16192794, -2.44199324, 1.26701713, 1.84918272]),
        ("{filters: 2, kernel_size: 3, strides: 2, activation: tanh}", [8, 3],
         [0.929489851, 0.897570491, 0.50416553, 0.822167158, -0.935495019, -0.958001196, -0.240551934, 0.311045468, -0.835103273, -0.913490713, 0.981128931, 0.986495733]),
        ("{filters: 2, kernel_size: 2, padding: same}", [2, 5, 3],
         [1.79468822, 1.72905314, 1.75242281, 1.95355034, -0.0199593902, 0.335459024, -1.55391407, -1.3280443, -0.777065158, -0.851822376, 0.751263976, 0.597507477, 2.03008866, 2.04789662, 1.27039957, 1.5509088, -0.68403399, -0.341462821, -0.729068398, -0.761541843, -0.578177869, -0.689718723, 1.36453986, 1.24119687, 2.00795364, 2.12071848, 0.637438595, 0.971981645, -0.206335768, -0.128516555, -1.51042747, -1.4711107, 0.0978067517, -0.0519799292, 1.81366849, 1.75205863, 1.7313894, 1.93730068, 0.5224967, 0.72193706]),
    ]

    @Test(arguments: 0..<kerasCases.count)
    func forwardMatchesKeras(_ index: Int) throws {
        let (arguments, shape, expected) = Self.kerasCases[index]
        let network = try RunSupport.network("input: \(shape)\nlayers:\n  - Conv1D: \(arguments)\n", capacity: 2)
        for parameter in network.parameters { Support.set(parameter, Support.wave(parameter.count, 0.23, 0.4, scale: 0.5)) }
        let y = Support.forward(network, Support.wave(2 * network.inputSize, 0.37, 0.1), batch: 2)
        #expect(Support.largestDifference(y, expected) < 1e-5)
    }

    @Test func logitsPathTakesTheGradientOfThePreactivation() throws {
        // With the flag set, a sigmoid Conv1D's backward must give what a linear one gives for the same dL/dz.
        let sigmoid = try RunSupport.network("input: [6, 2]\nlayers:\n  - Conv1D: {filters: 3, kernel_size: 3, padding: same, activation: sigmoid}\n")
        let linear = try RunSupport.network("input: [6, 2]\nlayers:\n  - Conv1D: {filters: 3, kernel_size: 3, padding: same}\n")
        for (a, b) in zip(sigmoid.parameters, linear.parameters) { b.value.copy(from: a.value) }
        let layer = try #require(sigmoid.layers[0] as? Conv1DLayer)
        layer.outputGradientIsPreactivation = true
        let input = RunSupport.inputs(sigmoid, batch: 4)
        let dz = Buffer(Support.wave(sigmoid.capacity * sigmoid.outputSize, 0.9, 0.3))
        for network in [sigmoid, linear] {
            let pass = Pass(training: true, batch: 4, executor: network.executor)
            network.forward(input, pass)
            network.backward(dz, pass, inputGradient: true)
        }
        #expect(layer.activation == .sigmoid)
        #expect(layer.preactivation.array(count: 4 * 18) == linear.layers[0].output.array(count: 4 * 18))
        for (a, b) in zip(sigmoid.parameters, linear.parameters) { #expect(a.gradient.array == b.gradient.array) }
        #expect(sigmoid.inputGradients[0].array(count: 48) == linear.inputGradients[0].array(count: 48))
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let spec = "input: [9, 3]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3, padding: same, activation: relu}\n"
        var results: [[Float]] = []
        for threads in [1, 2] {
            let network = try RunSupport.network(spec, threads: threads)
            let input = RunSupport.inputs(network, batch: 7)
            let pass = Pass(training: true, batch: 7, executor: network.executor)
            let y = network.forward(input, pass).array(count: 7 * network.outputSize)
            network.backward(Buffer(Support.wave(network.capacity * network.outputSize, 0.7, 0.2)), pass, inputGradient: true)
            results.append(y + network.parameters.flatMap(\.gradient.array) + network.inputGradients[0].array(count: 7 * network.inputSize))
        }
        #expect(results[0] == results[1])
    }
}
