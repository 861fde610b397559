import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Keras 2.11+ optimizers against their update formulas, written out here in Double.
@Suite struct OptimizerParityTests {
    static let initial: [[Float]] = [[0.5, -1.25, 2.0, 0.75, 0.0, -0.3], [0.1, -0.2, 0.05], [1.5, -0.5]]
    static let shapes: [[Int]] = [[2, 3], [3], [2]]
    static let names = ["dense/kernel", "dense/bias", "extra/w"]
    /// gradients[step][variable]
    static let gradients: [[[Float]]] = [
        [[0.3, -0.7, 0.05, 1.2, 0.0, -0.02], [-0.4, 0.25, 0.9], [0.6, -0.15]],
        [[-0.1, -0.5, 0.2, 0.8, 0.3, 0.01], [0.35, -0.6, 0.5], [-0.2, 0.45]],
        [[0.25, 0.4, -0.3, -0.6, 0.1, 0.07], [0.05, 0.2, -1.1], [0.3, 0.3]],
    ]

    static func parameters(_ count: Int) -> [Parameter] {
        (0..<count).map { index in
            let parameter = Parameter(name: names[index], shape: shapes[index], trainable: true, initializer: "zeros")
            for (i, value) in initial[index].enumerated() { parameter.value[i] = value }
            return parameter
        }
    }

    static func setGradients(_ parameters: [Parameter], step: Int) {
        for (index, parameter) in parameters.enumerated() {
            for (i, value) in gradients[step][index].enumerated() { parameter.gradient[i] = value }
        }
    }

    // MARK: the reference formulas

    /// Hyperparameters of one reference run.
    struct Setting: CustomTestStringConvertible {
        var spec: String
        var kind: String
        var lr: Double
        var momentum = 0.0
        var nesterov = false
        var rho = 0.9
        var centered = false
        var beta1 = 0.9
        var beta2 = 0.999
        var epsilon = 1e-7
        var amsgrad = false
        var initialAccumulator = 0.1
        var weightDecay: Double? = nil
        var clipnorm: Double? = nil
        var globalClipnorm: Double? = nil
        var clipvalue: Double? = nil
        var variables = 2
        var testDescription: String { spec }
    }

    /// Weights after each of the three steps, in Double.
    static func reference(_ s: Setting) -> [[[Double]]] {
        var x = initial.prefix(s.variables).map { $0.map(Double.init) }
        var first = x.map { $0.map { _ in 0.0 } }       // SGD velocity, RMSprop mean square, Adam/Nadam m, Adagrad sum
        var second = first                              // RMSprop momentum, Adam/Nadam v
        var third = first                               // RMSprop mean gradient, AMSGrad max v
        if s.kind == "Adagrad" { first = first.map { $0.map { _ in s.initialAccumulator } } }
        var muProduct = 1.0
        var trajectory: [[[Double]]] = []
        for step in 0..<3 {
            var g = gradients[step].prefix(s.variables).map { $0.map(Double.init) }
            let norms = g.map { ($0.map { $0 * $0 }.reduce(0, +)).squareRoot() }
            let globalNorm = (norms.map { $0 * $0 }.reduce(0, +)).squareRoot()
            for k in g.indices {
                if let c = s.clipnorm { g[k] = g[k].map { $0 * c / max(norms[k], c) } }
                else if let c = s.globalClipnorm { g[k] = g[k].map { $0 * c / max(globalNorm, c) } }
                else if let c = s.clipvalue { g[k] = g[k].map { min(max($0, -c), c) } }
            }
            if let wd = s.weightDecay { x = x.map { $0.map { $0 - $0 * wd * s.lr } } }
            let t = Double(step + 1)
            for k in x.indices {
                for i in x[k].indices {
                    let gi = g[k][i]
                    switch s.kind {
                    case "SGD":
                        first[k][i] = s.momentum * first[k][i] - s.lr * gi
                        x[k][i] += s.nesterov ? s.momentum * first[k][i] - s.lr * gi : first[k][i]
                    case "RMSprop":
                        first[k][i] = s.rho * first[k][i] + (1 - s.rho) * gi * gi
                        third[k][i] = s.rho * third[k][i] + (1 - s.rho) * gi
                        let meanSquare = s.centered ? first[k][i] - third[k][i] * third[k][i] : first[k][i]
                        let delta = s.lr * gi / (meanSquare + s.epsilon).squareRoot()
                        if s.momentum > 0 {
                            second[k][i] = s.momentum * second[k][i] + delta
                            x[k][i] -= second[k][i]
                        } else {
                            x[k][i] -= delta
                        }
                    case "Adam", "AdamW":
                        first[k][i] = s.beta1 * first[k][i] + (1 - s.beta1) * gi
                        second[k][i] = s.beta2 * second[k][i] + (1 - s.beta2) * gi * gi
                        third[k][i] = max(third[k][i], second[k][i])
                        let v = s.amsgrad ? third[k][i] : second[k][i]
                        // Keras casts β to float32 before raising it to t; 1 − β₂ᵗ is then off by ~1e-5 relative.
                        let stepSize = s.lr * (1 - pow(Double(Float(s.beta2)), t)).squareRoot() / (1 - pow(Double(Float(s.beta1)), t))
                        x[k][i] -= stepSize * first[k][i] / (v.squareRoot() + s.epsilon)
                    case "Adagrad":
                        first[k][i] += gi * gi
                        x[k][i] -= s.lr * gi / (first[k][i] + s.epsilon).squareRoot()
                    default:
                        break
                    }
                }
                if s.kind == "Nadam" {
                    // μ_t = β₁(1 − ½·0.96ᵗ). Under model.fit Keras multiplies the running product by μ_t once per
                    // variable, except at the (step, variable) pairs below, observed by running tf_keras.
                    // Nadam casts β₁, β₂ and 0.96 to float32 before using them.
                    let beta1 = Double(Float(s.beta1))
                    let beta2 = Double(Float(s.beta2))
                    let mu = { (step: Double) in beta1 * (1 - 0.5 * pow(Double(Float(0.96)), step)) }
                    let reuses: Set<[Int]> = x.count == 2 ? [[1, 0], [2, 1]] : [[2, 0], [3, 1], [4, 2]]
                    if !reuses.contains([step, k]) { muProduct *= mu(t) }
                    for i in x[k].indices {
                        let gi = g[k][i]
                        first[k][i] = beta1 * first[k][i] + (1 - beta1) * gi
                        second[k][i] = beta2 * second[k][i] + (1 - beta2) * gi * gi
                        let mHat = mu(t + 1) * first[k][i] / (1 - muProduct * mu(t + 1)) + (1 - mu(t)) * gi / (1 - muProduct)
                        let vHat = second[k][i] / (1 - pow(beta2, t))
                        x[k][i] -= s.lr * mHat / (vHat.squareRoot() + s.epsilon)
                    }
                }
            }
            trajectory.append(x)
        }
        return trajectory
    }

    static let settings: [Setting] = [
        Setting(spec: "sgd", kind: "SGD", lr: 0.01),
        Setting(spec: "{SGD: {learning_rate: 0.1, momentum: 0.9}}", kind: "SGD", lr: 0.1, momentum: 0.9),
        Setting(spec: "{SGD: {learning_rate: 0.1, momentum: 0.9, nesterov: true}}", kind: "SGD", lr: 0.1, momentum: 0.9, nesterov: true),
        Setting(spec: "rmsprop", kind: "RMSprop", lr: 0.001),
        Setting(spec: "{RMSprop: {learning_rate: 0.01, momentum: 0.5}}", kind: "RMSprop", lr: 0.01, momentum: 0.5),
        Setting(spec: "{RMSprop: {learning_rate: 0.01, centered: true}}", kind: "RMSprop", lr: 0.01, centered: true),
        Setting(spec: "{RMSprop: {learning_rate: 0.01, rho: 0.8, momentum: 0.3, centered: true, epsilon: 0.001}}", kind: "RMSprop",
                lr: 0.01, momentum: 0.3, rho: 0.8, centered: true, epsilon: 1e-3),
        Setting(spec: "{Adam: {learning_rate: 0.1}}", kind: "Adam", lr: 0.1),
        Setting(spec: "{Adam: {learning_rate: 0.1, amsgrad: true}}", kind: "Adam", lr: 0.1, amsgrad: true),
        Setting(spec: "{Adam: {learning_rate: 0.05, beta_1: 0.5, beta_2: 0.9, epsilon: 0.01}}", kind: "Adam", lr: 0.05, beta1: 0.5,
                beta2: 0.9, epsilon: 0.01),
        Setting(spec: "{AdamW: {learning_rate: 0.1}}", kind: "AdamW", lr: 0.1, weightDecay: 0.004),
        Setting(spec: "{AdamW: {learning_rate: 0.1, weight_decay: 0.5, beta_1: 0.8, epsilon: 0.0001}}", kind: "AdamW", lr: 0.1,
                beta1: 0.8, epsilon: 1e-4, weightDecay: 0.5),
        Setting(spec: "{Adagrad: {learning_rate: 0.1}}", kind: "Adagrad", lr: 0.1),
        Setting(spec: "{Adagrad: {learning_rate: 0.1, initial_accumulator_value: 0.5, epsilon: 0.001}}", kind: "Adagrad", lr: 0.1,
                epsilon: 1e-3, initialAccumulator: 0.5),
        Setting(spec: "{Nadam: {learning_rate: 0.1}}", kind: "Nadam", lr: 0.1),
        Setting(spec: "{Nadam: {learning_rate: 0.02, beta_1: 0.7, epsilon: 0.001}}", kind: "Nadam", lr: 0.02, beta1: 0.7, epsilon: 1e-3,
                variables: 3),
        Setting(spec: "{SGD: {learning_rate: 0.1, clipnorm: 0.5}}", kind: "SGD", lr: 0.1, clipnorm: 0.5),
        Setting(spec: "{Adam: {learning_rate: 0.1, clipnorm: 1.0}}", kind: "Adam", lr: 0.1, clipnorm: 1.0, variables: 3),
        Setting(spec: "{SGD: {learning_rate: 0.1, global_clipnorm: 1.0}}", kind: "SGD", lr: 0.1, globalClipnorm: 1.0, variables: 3),
        Setting(spec: "{RMSprop: {learning_rate: 0.01, global_clipnorm: 0.3}}", kind: "RMSprop", lr: 0.01, globalClipnorm: 0.3),
        Setting(spec: "{Adam: {learning_rate: 0.1, clipvalue: 0.25}}", kind: "Adam", lr: 0.1, clipvalue: 0.25),
        Setting(spec: "{SGD: {learning_rate: 0.1, momentum: 0.5, weight_decay: 0.2}}", kind: "SGD", lr: 0.1, momentum: 0.5, weightDecay: 0.2),
        Setting(spec: "{Adagrad: {learning_rate: 0.1, weight_decay: 0.3, clipvalue: 0.5}}", kind: "Adagrad", lr: 0.1, weightDecay: 0.3,
                clipvalue: 0.5),
        Setting(spec: "{Nadam: {learning_rate: 0.1, weight_decay: 0.1}}", kind: "Nadam", lr: 0.1, weightDecay: 0.1),
    ]

    @Test(arguments: settings)
    func threeStepsFollowTheKerasFormula(_ setting: Setting) throws {
        let parameters = Self.parameters(setting.variables)
        let optimizer = try TrainingFixtures.optimizer(setting.spec, parameters: parameters)
        let expected = Self.reference(setting)
        for step in 0..<3 {
            Self.setGradients(parameters, step: step)
            optimizer.step()
            #expect(optimizer.iterations == step + 1)
            for (k, parameter) in parameters.enumerated() {
                let ours = parameter.value.array
                for (a, b) in zip(ours, expected[step][k]) {
                    #expect(TrainingFixtures.close(Double(a), b), "step \(step + 1) \(parameter.name): \(ours) vs \(expected[step][k])")
                }
            }
        }
    }

    // MARK: bookkeeping

    @Test func slotsAreNamedAfterTheirVariables() throws {
        let cases: [(String, [String])] = [
            ("sgd", ["m"]), ("rmsprop", ["velocity"]), ("{RMSprop: {momentum: 0.5, centered: true}}", ["velocity", "momentum", "average_gradient"]),
            ("adam", ["m", "v"]), ("{Adam: {amsgrad: true}}", ["m", "v", "vhat"]), ("adamw", ["m", "v"]), ("adagrad", ["accumulator"]),
            ("nadam", ["m", "v"]),
        ]
        for (spec, slots) in cases {
            let optimizer = try TrainingFixtures.optimizer(spec, parameters: Self.parameters(2))
            var expected = slots.flatMap { slot in ["dense/kernel/\(slot)", "dense/bias/\(slot)"] }
            if spec == "nadam" { expected.append("u_product") }
            #expect(optimizer.slots.map(\.name) == expected, "\(spec)")
        }
        let adagrad = try TrainingFixtures.optimizer("{Adagrad: {initial_accumulator_value: 0.25}}", parameters: Self.parameters(1))
        #expect(adagrad.slots[0].buffer.array == [Float](repeating: 0.25, count: 6))
        // Adam's first moment after one step is (1 − β₁)·g.
        let parameters = Self.parameters(1)
        let adam = try TrainingFixtures.optimizer("adam", parameters: parameters)
        Self.setGradients(parameters, step: 0)
        adam.step()
        #expect(adam.slots[0].buffer.array == Self.gradients[0][0].map { $0 * Float(1 - 0.9) })
    }

    @Test func frozenParametersAreNeverTouched() throws {
        let parameters = Self.parameters(3)
        parameters[1].trainable = false
        let optimizer = try TrainingFixtures.optimizer("{SGD: {learning_rate: 0.1, weight_decay: 0.5, global_clipnorm: 0.1}}",
                                                       parameters: parameters)
        #expect(optimizer.slots.map(\.name) == ["dense/kernel/m", "extra/w/m"])
        Self.setGradients(parameters, step: 0)
        optimizer.step()
        #expect(parameters[1].value.array == Self.initial[1])
        // The frozen gradient is left out of the global norm too.
        let norm = (Self.gradients[0][0] + Self.gradients[0][2]).map { Double($0 * $0) }.reduce(0, +).squareRoot()
        let x = Double(Self.initial[2][0])
        let expected = x - x * 0.5 * 0.1 - 0.1 * Double(Self.gradients[0][2][0]) * 0.1 / norm
        #expect(TrainingFixtures.close(Double(parameters[2].value[0]), expected))
        // Frozen after construction: skipped as well.
        parameters[0].trainable = false
        let before = parameters[0].value.array
        optimizer.step()
        #expect(parameters[0].value.array == before)
    }

    @Test func nadamWithOneTrainableVariableBlowsUpAsKerasFitDoes() throws {
        // Keras's fit reuses Πu = 1 on the first step when there is one variable (see NadamRule), dividing by 0;
        // tf_keras 2.21 ends such a fit with NaN weights (/work/probe/helperC/probe_nadam_single.py).
        let single = Self.parameters(1)
        let optimizer = try TrainingFixtures.optimizer("nadam", parameters: single)
        Self.setGradients(single, step: 0)
        optimizer.step()
        #expect(single[0].value.array.contains { !$0.isFinite })
        let pair = Self.parameters(2)
        let two = try TrainingFixtures.optimizer("nadam", parameters: pair)
        Self.setGradients(pair, step: 0)
        two.step()
        #expect(pair.allSatisfy { $0.value.array.allSatisfy(\.isFinite) })
    }

    @Test func learningRateReadsBackAsFloat32AndDrivesTheNextStep() throws {
        let parameters = Self.parameters(1)
        let optimizer = try TrainingFixtures.optimizer("sgd", parameters: parameters)
        #expect(optimizer.learningRate == Double(Float(0.01)))
        optimizer.learningRate = 0.001
        #expect(optimizer.learningRate == Double(Float(0.001)))
        Self.setGradients(parameters, step: 0)
        optimizer.step()
        #expect(parameters[0].value[0] == Self.initial[0][0] - Self.gradients[0][0][0] * Float(0.001))
    }
}
