import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// BatchNormalization and LayerNormalization: gradients by finite differences, forward against a
/// double-precision oracle and Keras, moving statistics, determinism across thread counts.
@Suite struct NormalizationTests {
    typealias Support = KernelTestSupport

    @Test(arguments: [
        ("[4, 3]", "{}"), ("[4, 3]", "{axis: 1}"), ("[4, 3]", "{axis: [1, 2]}"), ("[4, 3]", "{axis: [2, 1]}"),
        ("[4, 3]", "{center: false, scale: false}"), ("[4, 3]", "{center: false}"), ("[2, 3, 2]", "{axis: 2, epsilon: 0.01}"), ("[5]", "{}"),
    ])
    func batchNormalizationGradientsInTraining(_ shape: String, _ arguments: String) throws {
        let network = try RunSupport.network("input: \(shape)\nlayers:\n  - BatchNormalization: \(arguments)\n  - Dense 2 tanh\n")
        // Start gamma and beta away from 1 and 0 so their gradients are not special.
        for parameter in network.parameters where parameter.name.hasSuffix("/gamma") || parameter.name.hasSuffix("/beta") {
            Support.set(parameter, Support.wave(parameter.count, 0.9, 0.4, scale: 0.5, offset: 1))
        }
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
        // The moving statistics are never trained.
        #expect(network.parameters.filter { $0.name.contains("moving") }.allSatisfy { !$0.trainable })
    }

    @Test(arguments: [("[4, 3]", "{}"), ("[4, 3]", "{axis: [1, 2]}"), ("[4, 3]", "{axis: 1}"), ("[2, 3, 2]", "{axis: [1, 3]}"), ("[4, 3]", "{center: false, scale: false}")])
    func layerNormalizationGradients(_ shape: String, _ arguments: String) throws {
        let network = try RunSupport.network("input: \(shape)\nlayers:\n  - LayerNormalization: \(arguments)\n  - Dense 2 tanh\n")
        for parameter in network.parameters where parameter.name.hasPrefix("layer_normalization") {
            Support.set(parameter, Support.wave(parameter.count, 0.9, 0.4, scale: 0.5, offset: 1))
        }
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 4), batch: 4) == [])
    }

    /// Normalizes x: [batch, groups, features] (positions through `NormalizationAxes`) in double,
    /// with batch statistics per feature (BatchNormalization) or per sample and group (LayerNormalization).
    static func oracle(_ x: [Float], batch: Int, axes: NormalizationAxes, perSample: Bool, epsilon: Double,
                       gamma: [Float]?, beta: [Float]?, statistics: ([Float], [Float])? = nil) -> [Double] {
        let size = axes.groupCount * axes.featureCount
        var y = [Double](repeating: 0, count: x.count)
        func value(_ b: Int, _ g: Int, _ f: Int) -> Int { b * size + axes.positions[g * axes.featureCount + f] }
        // Each set of (b, g, f) sharing statistics, normalized together.
        let sets: [[(Int, Int, Int)]] = perSample
            ? (0..<batch).flatMap { b in (0..<axes.groupCount).map { g in (0..<axes.featureCount).map { (b, g, $0) } } }
            : (0..<axes.featureCount).map { f in (0..<batch).flatMap { b in (0..<axes.groupCount).map { (b, $0, f) } } }
        for (index, members) in sets.enumerated() {
            var mean = members.map { Double(x[value($0.0, $0.1, $0.2)]) }.reduce(0, +) / Double(members.count)
            var variance = members.map { pow(Double(x[value($0.0, $0.1, $0.2)]) - mean, 2) }.reduce(0, +) / Double(members.count)
            if let statistics { (mean, variance) = (Double(statistics.0[index]), Double(statistics.1[index])) }
            for (b, g, f) in members {
                let normalized = (Double(x[value(b, g, f)]) - mean) / (variance + epsilon).squareRoot()
                y[value(b, g, f)] = normalized * Double(gamma?[f] ?? 1) + Double(beta?[f] ?? 0)
            }
        }
        return y
    }

    @Test(arguments: [("[4, 3]", [-1]), ("[4, 3]", [1]), ("[4, 3]", [1, 2]), ("[2, 3, 2]", [1, 3]), ("[2, 3, 2]", [2])])
    func forwardMatchesTheOracle(_ shape: String, _ axis: [Int]) throws {
        let axisText = axis.count == 1 ? "\(axis[0])" : "\(axis)"
        let batch = 5
        for layer in ["BatchNormalization", "LayerNormalization"] {
            let network = try RunSupport.network("input: \(shape)\nlayers:\n  - \(layer): {axis: \(axisText), epsilon: 0.01}\n")
            let gamma = network.parameters[0], beta = network.parameters[1]
            Support.set(gamma, Support.wave(gamma.count, 0.9, 0.4, scale: 0.5, offset: 1))
            Support.set(beta, Support.wave(beta.count, 0.5, 0.1, scale: 0.5))
            let x = Support.wave(batch * network.inputSize, 0.53, 0.2, scale: 2, offset: 0.5)
            let layerObject = network.layers[0]
            let axes = (layerObject as? BatchNormalizationLayer)?.axes ?? (layerObject as! LayerNormalizationLayer).axes
            let perSample = layer == "LayerNormalization"
            let expected = Self.oracle(x, batch: batch, axes: axes, perSample: perSample, epsilon: 0.01,
                                       gamma: gamma.value.array, beta: beta.value.array)
            #expect(Support.largestDifference(Support.forward(network, x, batch: batch, training: true), expected) < 1e-5, "\(layer)")
            if !perSample {
                let moving = (network.parameters[2].value.array, network.parameters[3].value.array)
                let inference = Self.oracle(x, batch: batch, axes: axes, perSample: false, epsilon: 0.01,
                                            gamma: gamma.value.array, beta: beta.value.array, statistics: moving)
                #expect(Support.largestDifference(Support.forward(network, x, batch: batch), inference) < 1e-5)
            }
        }
    }

    @Test func axesOrderFeaturesRowMajorOverSortedAxes() {
        let axes = NormalizationAxes(sampleShape: [2, 3, 4], axes: [3, 1])
        #expect(axes.featureCount == 8 && axes.groupCount == 3)
        // (g, f) with f over axes 1 then 3: position = a1·12 + a2·4 + a3.
        #expect(Array(axes.positions.prefix(8)) == [0, 1, 2, 3, 12, 13, 14, 15])
        #expect(Array(axes.positions[8..<16]) == [4, 5, 6, 7, 16, 17, 18, 19])
    }

    /// Keras's results (tf_keras 2.21, reference.py), batch 3, x = 2·sin(0.53i + 0.2) + 0.5; gamma =
    /// 0.5·sin(0.3i + 0.5) + 1, beta = 0.5·sin(0.4i + 0.1), moving_mean = 0.3·sin(0.6i + 0.7),
    /// moving_variance = 0.4·sin(0.8i + 0.2) + 1: inference output, then one training call's output
    /// and the moving statistics after it.
    static let kerasBatchCases: [(String, [Int], inference: [Float], training: [Float], mean: [Float], variance: [Float])] = [
        ("{momentum: 0.9}", [4, 3],
         [0.889633894, 2.05435729, 2.99094319, 2.74397874, 2.20792818, 1.36143696, -0.147558391, -1.14540696, -1.70482433, -1.890854, -1.17019308, 0.042441655, 1.06763458, 2.18409395, 3.04159927, 2.69730926, 2.08005881, 1.1791507, -0.323766738, -1.2702328, -1.74847949, -1.83741724, -1.03752995, 0.226404592, 1.24179065, 2.3038249, 3.07818961, 2.63718438, 1.94279718, 0.99378264, -0.495613754, -1.38469219, -1.77795064, -1.77069223, -0.895872474, 0.41290459],
         [0.410989285, 1.53175199, 2.33006167, 1.78115797, 1.65851641, 0.966413498, -0.355388314, -1.10947907, -1.59957969, -1.64350319, -1.12993872, -0.137384444, 0.54251343, 1.63884258, 2.37245297, 1.74667406, 1.55296719, 0.813867688, -0.485588014, -1.21251607, -1.63611245, -1.60401893, -1.02043247, 0.0165644884, 0.671196759, 1.73767388, 2.40307355, 1.7022481, 1.4396652, 0.658742905, -0.61256516, -1.30699611, -1.6607753, -1.55471611, -0.903501987, 0.172636539],
         [0.222699821, 0.310295463, 0.306972504], [1.16932058, 1.39914107, 1.44904447]),
        ("{axis: 1, momentum: 0.8, epsilon: 0.01}", [4, 3],
         [0.886158347, 1.99833953, 2.67586374, 2.77233624, 2.2013402, 1.15986586, 0.0785966963, -1.04276025, -1.69807243, -1.70224845, -0.994442523, 0.237435102, 1.06342232, 2.12950563, 2.72494173, 2.7265203, 2.07389879, 0.985767126, -0.101941064, -1.17259943, -1.74158716, -1.64160252, -0.841589987, 0.440553784, 1.23685765, 2.25055552, 2.76039267, 2.66749477, 1.93709648, 0.808725119, -0.278010339, -1.29165602, -1.77096331, -1.56587553, -0.678374529, 0.646473706],
         [-1.85825431, 0.100606441, 1.29391503, 1.80675149, 0.749653101, -1.17845297, 2.63269567, 0.307368994, -1.05153346, -1.2646687, -0.0580923557, 2.04185367, -1.54604292, 0.331626177, 1.38035512, 1.7219317, 0.51371789, -1.50076604, 2.25831962, 0.0381250381, -1.14176869, -1.16128731, 0.202470899, 2.3881042, -1.24057531, 0.54482913, 1.44279361, 1.61265635, 0.260452747, -1.82852817, 1.8932097, -0.208759069, -1.20268512, -1.03219771, 0.480699658, 2.73913002],
         [0.516513824, 0.577095628, 0.0557688475, 0.00821253657], [0.931814849, 1.14584851, 1.17472434, 1.04666603]),
        ("{axis: [1, 2], momentum: 0.9}", [4, 3],
         [0.889633894, 2.05435753, 2.99094296, 3.56932259, 3.57570457, 2.65385818, 0.827817023, -0.709595859, -1.36064386, -1.41297829, -1.13464236, -0.653394639, 1.06763458, 2.18409419, 3.0415988, 3.51615977, 3.40396643, 2.38606, 0.56968534, -0.857616603, -1.39822376, -1.37568653, -1.05529547, -0.556932747, 1.24179065, 2.30382514, 3.07818937, 3.44766951, 3.21961379, 2.11373425, 0.317942768, -0.993344724, -1.42359352, -1.32912123, -0.970569015, -0.459140539],
         [-1.42403889, -1.34408951, -0.868080139, 1.80436707, 2.20784569, 2.15173244, 1.93110693, 1.57984066, 0.809806824, -1.17162323, -1.35708094, -1.31031883, 0.0606050491, 0.281507492, 0.520149231, 0.597740173, 0.536748886, 0.441243172, 0.285660625, 0.0780506134, -0.186805725, -0.334320068, -0.430088043, -0.492524505, 1.51318169, 1.78173065, 1.5229187, -0.956771851, -1.25709343, -1.29816341, -1.31905925, -1.29902077, -0.859607697, 0.711198807, 0.559751987, 0.336548209],
         [0.278489918, 0.454294264, 0.499668777, 0.40251255, 0.196521997, -0.0505134538, -0.259248406, -0.364591777, -0.336297482, -0.187732279, 0.0297492668, 0.244595334],
         [0.972974122, 1.20368147, 1.25067019, 1.08571482, 0.808854461, 0.587731779, 0.556206763, 0.733435154, 1.0122149, 1.22370481, 1.23957205, 1.04988468]),
        // Rank 4 takes Keras's fused path, whose moving variance averages in the unbiased batch variance.
        ("{momentum: 0.9}", [2, 4, 3],
         [0.889633775, 2.05435705, 2.99094319, 2.74397898, 2.20792842, 1.36143696, -0.147558391, -1.14540696, -1.70482433, -1.890854, -1.1701932, 0.0424416661, 1.0676347, 2.18409395, 3.04159927, 2.69730949, 2.08005881, 1.1791507, -0.323766738, -1.27023268, -1.74847949, -1.83741724, -1.03752971, 0.226404592, 1.24179077, 2.30382466, 3.07818961, 2.63718462, 1.94279718, 0.99378264, -0.495613724, -1.38469243, -1.77795064, -1.77069223, -0.895872414, 0.41290459, 1.41107512, 2.41284347, 3.1004982, 2.56395793, 1.79695296, 0.80642581, -0.66208595, -1.4881103, -1.79306376, -1.69107246, -0.746056259, 0.600841761, 1.57448947, 2.5105083, 3.10839391, 2.47806239, 1.64338589, 0.618185401, -0.82220155, -1.57987666, -1.7937299, -1.59902763, -0.588965178, 0.78910774, 1.73107016, 2.59624147, 3.10182929, 2.38000417, 1.48300219, 0.43017152, -0.975016177, -1.65945053, -1.77994502, -1.49510038, -0.425525367, 0.976592183],
         [0.408968776, 1.52787948, 2.32350969, 1.78112566, 1.65455341, 0.962764502, -0.358520776, -1.11146474, -1.59776628, -1.64850461, -1.13190961, -0.138683707, 0.540683746, 1.63489366, 2.36581087, 1.74659169, 1.54907942, 0.810543418, -0.488909394, -1.21442795, -1.6342212, -1.60896313, -1.02248168, 0.0149374902, 0.669553757, 1.73365426, 2.39636636, 1.70210123, 1.43585849, 0.655748844, -0.616070807, -1.30884051, -1.65883148, -1.55958867, -0.905634582, 0.170677319, 0.794818878, 1.82357907, 2.41499543, 1.64791572, 1.31555796, 0.499293506, -0.739254951, -1.39414549, -1.67145193, -1.50067258, -0.782057941, 0.327617288, 0.915740311, 1.90413833, 2.4215889, 1.58435583, 1.18888748, 0.342100352, -0.857735455, -1.46983957, -1.67200816, -1.43256223, -0.652480423, 0.48483181, 1.03160512, 1.9748559, 2.41610694, 1.51179576, 1.05659389, 0.185096353, -0.970813453, -1.53547645, -1.66049707, -1.35565937, -0.517666161, 0.641393721],
         [0.222988129, 0.310599804, 0.307209432], [1.17732251, 1.40796494, 1.45855808]),
    ]

    @Test(arguments: 0..<kerasBatchCases.count)
    func batchNormalizationMatchesKeras(_ index: Int) throws {
        let reference = Self.kerasBatchCases[index]
        let network = try RunSupport.network("input: \(reference.1)\nlayers:\n  - BatchNormalization: \(reference.0)\n", capacity: 3)
        let p = network.parameters
        #expect(p.map { $0.name.split(separator: "/").last! } == ["gamma", "beta", "moving_mean", "moving_variance"])
        Support.set(p[0], Support.wave(p[0].count, 0.3, 0.5, scale: 0.5, offset: 1))
        Support.set(p[1], Support.wave(p[1].count, 0.4, 0.1, scale: 0.5))
        Support.set(p[2], Support.wave(p[2].count, 0.6, 0.7, scale: 0.3))
        Support.set(p[3], Support.wave(p[3].count, 0.8, 0.2, scale: 0.4, offset: 1))
        let x = Support.wave(3 * network.inputSize, 0.53, 0.2, scale: 2, offset: 0.5)
        #expect(Support.largestDifference(Support.forward(network, x, batch: 3), reference.inference) < 1e-5)
        #expect(Support.largestDifference(Support.forward(network, x, batch: 3, training: true), reference.training) < 1e-5)
        #expect(Support.largestDifference(p[2].value.array, reference.mean) < 1e-5)
        #expect(Support.largestDifference(p[3].value.array, reference.variance) < 1e-5)
    }

    /// Keras's LayerNormalization outputs (reference.py), batch 2, x = 2·sin(0.53i + 0.2) + 0.5; weight n
    /// (gamma, beta) = 0.5·sin((0.3 + 0.1n)·i + 0.5), plus 1 for gamma.
    static let kerasLayerCases: [(String, [Float])] = [
        ("{}", [-1.73639441, 0.254915118, 1.65139103, 1.81774449, 1.87678599, 1.06208515, -0.212605894, -1.49489594, -0.78492111, -0.749287009, 0.560908914, 2.90139079, -1.76753974, 0.348076493, 1.71679831, 1.68535519, 1.9001472, 1.03634405, -0.239914834, -1.4665451, -0.887067854, -0.690313101, 0.653913498, 2.86355639]),
        ("{axis: [1, 2]}", [0.590728879, 1.68149984, 2.44080925, 2.56965351, 1.99076056, 0.894923925, -0.341044724, -1.32205939, -1.79874682, -1.74444926, -1.3162024, -0.738281846, 0.720695496, 1.78640199, 2.48133039, 2.5260582, 1.87289834, 0.739089251, -0.487164855, -1.41878521, -1.8285706, -1.7147696, -1.25103664, -0.665105343]),
        ("{axis: 1, epsilon: 0.000001}", [0.606503606, 1.43130624, 1.92549098, 1.93414009, 1.81787872, 0.959305763, -0.0750224441, -0.96415925, -1.46338987, -1.51167262, -0.987428963, -0.0514923036, 0.736945271, 1.52888083, 1.95816076, 1.89467108, 1.71489668, 0.812981427, -0.220252603, -1.06447864, -1.50592446, -1.46976638, -0.871002555, 0.101269394]),
    ]

    @Test(arguments: 0..<kerasLayerCases.count)
    func layerNormalizationMatchesKeras(_ index: Int) throws {
        let (arguments, expected) = Self.kerasLayerCases[index]
        let network = try RunSupport.network("input: [3, 4]\nlayers:\n  - LayerNormalization: \(arguments)\n", capacity: 2)
        for (n, parameter) in network.parameters.enumerated() {
            Support.set(parameter, Support.wave(parameter.count, 0.3 + 0.1 * Double(n), 0.5, scale: 0.5, offset: n == 0 ? 1 : 0))
        }
        let x = Support.wave(2 * network.inputSize, 0.53, 0.2, scale: 2, offset: 0.5)
        #expect(Support.largestDifference(Support.forward(network, x, batch: 2), expected) < 1e-5)
    }

    @Test func batchNormalizationIsIdenticalWithOneAndTwoThreads() throws {
        let spec = "input: [3, 4]\nlayers:\n  - Dense 4 tanh\n  - BatchNormalization: {axis: [1, 2], momentum: 0.5}\n  - BatchNormalization\n  - Dense 2\n"
        var results: [[Float]] = []
        for threads in [1, 2, 4] {
            let network = try RunSupport.network(spec, threads: threads)
            #expect(network.executor.threads == threads)
            let input = RunSupport.inputs(network, batch: 7)
            var values: [Float] = []
            for step in 0..<2 {
                let pass = Pass(training: true, batch: 7, executor: network.executor, seed: UInt64(step))
                values += network.forward(input, pass).array(count: 7 * network.outputSize)
                network.backward(Buffer(Support.wave(network.capacity * network.outputSize, 0.7, 0.2)), pass, inputGradient: true)
                values += network.parameters.flatMap { $0.trainable ? $0.gradient.array : $0.value.array }
                values += network.inputGradients[0].array(count: 7 * network.inputSize)
            }
            results.append(values)
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
    }

    @Test func frozenBatchNormalizationRunsOnMovingStatisticsInTraining() throws {
        let network = try RunSupport.network("input: [4, 3]\nlayers:\n  - BatchNormalization: {trainable: false}\n  - Dense 2\n")
        let p = network.parameters
        Support.set(p[2], Support.wave(3, 0.6, 0.7, scale: 0.3))
        Support.set(p[3], Support.wave(3, 0.8, 0.2, scale: 0.4, offset: 1))
        let x = Support.wave(5 * 12, 0.53, 0.2, scale: 2, offset: 0.5)
        let inference = Support.forward(network, x, batch: 5)
        let moving = p[2].value.array + p[3].value.array
        #expect(Support.forward(network, x, batch: 5, training: true) == inference)
        #expect(p[2].value.array + p[3].value.array == moving)
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
    }

    @Test func inferenceForwardLeavesTheMovingStatisticsAlone() throws {
        let network = try RunSupport.network("input: [4, 3]\nlayers:\n  - BatchNormalization\n")
        let before = network.parameters.flatMap(\.value.array)
        _ = Support.forward(network, Support.wave(5 * 12, 0.53, 0.2), batch: 5)
        #expect(network.parameters.flatMap(\.value.array) == before)
        _ = Support.forward(network, Support.wave(5 * 12, 0.53, 0.2), batch: 5, training: true)
        #expect(network.parameters.flatMap(\.value.array) != before)
    }
}
