import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Window and global pooling: gradients by finite differences, forward against a double-precision
/// oracle and Keras.
@Suite struct PoolingTests {
    typealias Support = KernelTestSupport

    @Test(arguments: ["MaxPooling1D", "AveragePooling1D"], [
        "{pool_size: 2}", "{pool_size: 3, strides: 2}", "{pool_size: 3, strides: 2, padding: same}",
        "{pool_size: 4, strides: 1, padding: same}", "{pool_size: 2, strides: 3, padding: same}", "{pool_size: 3, strides: 1}",
    ])
    func gradientsMatchFiniteDifferences(_ layer: String, _ arguments: String) throws {
        let network = try RunSupport.network("input: [7, 3]\nlayers:\n  - \(layer): \(arguments)\n")
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
    }

    @Test(arguments: ["GlobalMaxPooling1D", "GlobalAveragePooling1D"], [false, true])
    func globalGradientsMatchFiniteDifferences(_ layer: String, _ keepdims: Bool) throws {
        let network = try RunSupport.network("input: [6, 3]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 2}\n  - \(layer): {keepdims: \(keepdims)}\n")
        #expect(network.outputShape == (keepdims ? [1, 2] : [2]))
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
    }

    @Test func maximumGradientGoesToTheFirstMaximumAndGlobalTiesShare() throws {
        let window = try RunSupport.network("input: [4, 1]\nlayers:\n  - MaxPooling1D: {pool_size: 2, strides: 1}\n", capacity: 1)
        let global = try RunSupport.network("input: [4, 1]\nlayers:\n  - GlobalMaxPooling1D\n", capacity: 1)
        for network in [window, global] {
            let input = Buffer([1, 3, 3, 0])
            let pass = Pass(training: true, batch: 1, executor: network.executor)
            network.forward(input, pass)
            network.backward(Buffer([Float](repeating: 1, count: network.outputSize)), pass, inputGradient: true)
        }
        // Windows [1,3] [3,3] [3,0]: the tied middle window routes to its first 3, at step 1
        // (TensorFlow's MaxPoolGrad, checked with tf_keras 2.21: [0, 2, 1, 0]).
        #expect(window.layers[0].output.array == [3, 3, 3])
        #expect(window.inputGradients[0].array == [0, 2, 1, 0])
        // tf.reduce_max's gradient splits among ties (tf_keras 2.21: [0, 0.5, 0.5, 0]).
        #expect(global.inputGradients[0].array == [0, 0.5, 0.5, 0])
    }

    /// Windows with TensorFlow's padding; padding is skipped (never a maximum, not counted in a mean).
    static func oracle(x: [Float], batch: Int, length: Int, channels: Int, size: Int, stride: Int, same: Bool, maximum: Bool) -> [Double] {
        let outputs = same ? (length + stride - 1) / stride : (length - size) / stride + 1
        let pad = same ? Support.sameLeftPadding(length: length, span: size, stride: stride) : 0
        var y: [Double] = []
        for b in 0..<batch {
            for o in 0..<outputs {
                for c in 0..<channels {
                    let values = (0..<size).map { o * stride - pad + $0 }.filter { $0 >= 0 && $0 < length }
                        .map { Double(x[(b * length + $0) * channels + c]) }
                    y.append(maximum ? values.max()! : values.reduce(0, +) / Double(values.count))
                }
            }
        }
        return y
    }

    @Test(arguments: [true, false], [(2, 2, false), (3, 2, false), (3, 2, true), (4, 1, true), (2, 3, true), (5, 2, true), (1, 1, false)])
    func forwardMatchesTheOracle(_ maximum: Bool, _ window: (Int, Int, Bool)) throws {
        let (size, stride, same) = window
        let (length, channels, batch) = (9, 2, 3)
        let layer = maximum ? "MaxPooling1D" : "AveragePooling1D"
        let network = try RunSupport.network("input: [\(length), \(channels)]\nlayers:\n  - \(layer): {pool_size: \(size), strides: \(stride), padding: \(same ? "same" : "valid")}\n")
        let x = Support.wave(batch * length * channels, 0.71, 0.3)
        let expected = Self.oracle(x: x, batch: batch, length: length, channels: channels, size: size, stride: stride, same: same, maximum: maximum)
        #expect(Support.largestDifference(Support.forward(network, x, batch: batch), expected) < 1e-6)
    }

    @Test(arguments: [true, false])
    func globalForwardMatchesTheOracle(_ maximum: Bool) throws {
        let network = try RunSupport.network("input: [5, 3]\nlayers:\n  - \(maximum ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D"): {keepdims: true}\n")
        let x = Support.wave(4 * 15, 0.71, 0.3)
        let expected = Self.oracle(x: x, batch: 4, length: 5, channels: 3, size: 5, stride: 5, same: false, maximum: maximum)
        #expect(Support.largestDifference(Support.forward(network, x, batch: 4), expected) < 1e-6)
    }

    /// Keras's outputs (tf_keras 2.21, reference.py) for x = sin(0.71i + 0.3), batch 2.
    static let kerasCases: [(String, [Int], [Float])] = [
        ("MaxPooling1D: {pool_size: 3, strides: 2, padding: same}", [7, 3],
         [0.653040767, 0.846831858, 0.988889754, 0.653040767, 0.898708105, 0.967405915, 0.568579435, 0.898708105, 0.967405915, 0.491341561, 0.9403404, 0.934895039, 0.477637142, -0.210451454, -0.0894362628, 0.58139652, 0.97125417, 0.891727746, 0.664824426, 0.991097093, 0.838396072, 0.664824426, 0.991097093, 0.838396072]),
        ("AveragePooling1D: {pool_size: 3, strides: 2, padding: same}", [7, 3],
         [0.474280477, 0.424212247, 0.169132322, 0.0201051738, 0.0172596779, 0.00607301807, -0.0115654068, 0.00213636947, 0.0148056895, -0.253810048, 0.0765346885, 0.369892031, -0.260244131, -0.463749051, -0.443135083, -0.0118261175, -0.0197561774, -0.0181385279, 0.0200543199, 0.0129906936, -0.000351031631, 0.47267127, 0.289084792, -0.0342095494]),
        ("AveragePooling1D: {pool_size: 4, strides: 1, padding: same}", [5, 2],
         [0.428667545, 0.283082515, 0.0743978471, 0.000181466341, -0.0741226524, -0.112605013, -0.428460121, -0.367820263, -0.6434865, -0.226417854, 0.2464699, -0.0455279164, -0.0119653344, -0.0829236805, -0.11380697, -0.0896900892, -0.341269106, -0.0845774412, -0.147964731, 0.372614712]),
        ("MaxPooling1D: {pool_size: 2}", [7, 3],
         [0.653040767, 0.846831858, 0.988889754, 0.395686001, 0.898708105, 0.967405915, 0.568579435, -0.105027981, -0.195110992, 0.477637142, -0.210451454, -0.0894362628, 0.58139652, 0.97125417, 0.891727746, 0.664824426, 0.991097093, 0.838396072]),
    ]

    @Test(arguments: 0..<kerasCases.count)
    func forwardMatchesKeras(_ index: Int) throws {
        let (layer, shape, expected) = Self.kerasCases[index]
        let network = try RunSupport.network("input: \(shape)\nlayers:\n  - \(layer)\n", capacity: 2)
        let y = Support.forward(network, Support.wave(2 * network.inputSize, 0.71, 0.3), batch: 2)
        #expect(Support.largestDifference(y, expected) < 1e-5)
    }
}
