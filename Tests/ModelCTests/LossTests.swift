import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Compile sections checked by the real front end, for the loss, metric and optimizer tests.
enum TrainingFixtures {
    /// The checked `compile` of a one-layer model ending in `lastLayer` (shorthand such as `Dense 3 softmax`).
    static func compile(_ compile: String, input: String = "[4]", lastLayer: String = "Dense 3 softmax") throws -> CompileConfig {
        let result = TestSupport.check("input: \(input)\nlayers:\n  - \(lastLayer)\ncompile: \(compile)\n")
        return try #require(result.model?.compile, "\(result.diagnostics.map(\.message))")
    }

    /// A loss written as in a spec (`binary_crossentropy`, `{Huber: {delta: 0.5}}`).
    static func loss(_ loss: String, outputShape: [Int], finalActivation: Activation?) throws -> LossFunction {
        let units = outputShape.last ?? 1
        let config = try compile("{optimizer: sgd, loss: \(loss)}", lastLayer: "Dense \(units)")
        return LossFunction(config.loss, outputShape: outputShape, finalActivation: finalActivation)
    }

    /// An optimizer written as in a spec (`adam`, `{SGD: {momentum: 0.9}}`).
    static func optimizer(_ optimizer: String, parameters: [Parameter]) throws -> Optimizer {
        Optimizer(try compile("{optimizer: \(optimizer), loss: mse}").optimizer, parameters: parameters)
    }

    /// a ≈ b within `relative`·max(|b|, `floor`).
    static func close(_ a: Double, _ b: Double, relative: Double = 1e-6, floor: Double = 1) -> Bool {
        abs(a - b) <= relative * max(abs(b), floor)
    }
}

/// Keras 2 losses: values, the clipping and logits paths, gradients and label checks.
@Suite struct LossTests {
    /// Evaluates `loss` on one batch; `inputs` are the logits when the loss uses them (predictions are then
    /// σ or softmax of them, unused), else the predictions.
    static func evaluate(_ loss: LossFunction, inputs: [Float], targets: [Float], batch: Int) -> (Double, [Float]) {
        let x = Buffer(inputs)
        let gradient = Buffer(count: inputs.count)
        let value = loss.evaluate(predictions: x, logits: loss.usesLogits ? x : nil, targets: Buffer(targets), batch: batch,
                                  gradient: gradient)
        return (value, gradient.array)
    }

    // MARK: values recorded from tf_keras 2.21 (/work/probe/helperC/record_losses_metrics.py)

    struct Recorded: CustomTestStringConvertible {
        let label: String
        let loss: String
        let outputShape: [Int]
        let finalActivation: Activation?
        let targets: [Float]
        /// Predictions, or the logits when finalActivation is sigmoid/softmax.
        let inputs: [Float]
        let value: Double
        let gradient: [Float]
        var testDescription: String { label }
    }

    static let probabilitiesB: [Float] = [0.2, 1.0, 0.0, 0.9999, 1e-9, 0.6]
    static let labelsB: [Float] = [0, 1, 1, 1, 0, 0]
    static let logitsB: [Float] = [-1.5, 2.0, 0.0, 4.0, -20.0, 0.3]
    static let probabilitiesC: [Float] = [0.2, 0.5, 0.3, 0.6, 0.3, 0.3, 0.0, 0.1, 0.9]
    static let oneHotC: [Float] = [0, 1, 0, 1, 0, 0, 0, 0, 1]
    static let sparseC: [Float] = [1, 0, 2]
    static let logitsC: [Float] = [1, 2, -1, 0.5, 0.5, 3, -2, 0, 25]
    static let targetsR: [Float] = [0.5, -1, 2, 0.25, 0, 3]
    static let predictionsR: [Float] = [0.7, -1, 0.5, 1.25, -0.3, 1]
    static let logitCGradient: [Float] = [0.08649883, -0.09820515, 0.011706344, -0.3098302, 0.023503153, 0.28632703,
                                          6.265096e-13, 4.6293147e-12, 0]

    static let recorded: [Recorded] = [
        Recorded(label: "BCE probabilities (clipped at 0 and 1)", loss: "binary_crossentropy", outputShape: [3], finalActivation: nil,
                 targets: labelsB, inputs: probabilitiesB, value: 2.760746955871582,
                 gradient: [0.2083333, 0, 0, -0.16668332, 0, 0.4166666]),
        Recorded(label: "BCE probabilities, label smoothing 0.2", loss: "{BinaryCrossentropy: {label_smoothing: 0.2}}", outputShape: [3],
                 finalActivation: nil, targets: labelsB, inputs: probabilitiesB, value: 3.1861326694488525,
                 gradient: [0.10416668, 0, 0, 166.32253, 0, 0.34722218]),
        Recorded(label: "BCE from_logits", loss: "{BinaryCrossentropy: {from_logits: true}}", outputShape: [3], finalActivation: nil,
                 targets: labelsB, inputs: logitsB, value: 0.315665602684021,
                 gradient: [0.030404257, -0.019867152, -0.083333336, -0.0029977018, 3.4352562e-10, 0.09574042]),
        Recorded(label: "BCE after sigmoid reads the logits, smoothing 0.1", loss: "{BinaryCrossentropy: {label_smoothing: 0.1}}",
                 outputShape: [3], finalActivation: .sigmoid, targets: labelsB, inputs: logitsB, value: 0.5423322916030884,
                 gradient: [0.022070922, -0.011533812, -0.074999996, 0.0053356383, -0.008333334, 0.08740708]),
        Recorded(label: "CCE probabilities (a row not summing to 1)", loss: "categorical_crossentropy", outputShape: [3], finalActivation: nil,
                 targets: oneHotC, inputs: probabilitiesC, value: 0.4972182810306549,
                 gradient: [0.3333333, -0.3333333, 0.3333333, -0.27777776, 0.27777776, 0.27777776, 0.33333334, 0.33333334, -0.037037045]),
        Recorded(label: "CCE probabilities, label smoothing 0.3", loss: "{CategoricalCrossentropy: {label_smoothing: 0.3}}", outputShape: [3],
                 finalActivation: nil, targets: oneHotC, inputs: probabilitiesC, value: 1.1979973316192627,
                 gradient: [0.16666664, -0.19999999, 0.22222221, -0.16666663, 0.16666666, 0.16666666, 0.3, -0.03333333, 0.0037036836]),
        Recorded(label: "CCE from_logits", loss: "{CategoricalCrossentropy: {from_logits: true}}", outputShape: [3], finalActivation: nil,
                 targets: oneHotC, inputs: logitsC, value: 1.000340223312378, gradient: logitCGradient),
        Recorded(label: "CCE after softmax reads the logits, smoothing 0.2", loss: "{CategoricalCrossentropy: {label_smoothing: 0.2}}",
                 outputShape: [3], finalActivation: .softmax, targets: oneHotC, inputs: logitsC, value: 2.1892290115356445,
                 gradient: [0.064276606, -0.053760707, -0.01051588, -0.26538575, 0.0012809287, 0.2641048, -0.022222225, -0.022222225, 0.04444444]),
        Recorded(label: "CCE after sigmoid also reads the logits", loss: "categorical_crossentropy", outputShape: [3], finalActivation: .sigmoid,
                 targets: oneHotC, inputs: logitsC, value: 1.000340223312378, gradient: logitCGradient),
        Recorded(label: "SCCE probabilities", loss: "sparse_categorical_crossentropy", outputShape: [3], finalActivation: nil,
                 targets: sparseC, inputs: probabilitiesC, value: 0.4972182810306549,
                 gradient: [0.33333334, -0.3333333, 0.3333333, -0.2777778, 0.27777776, 0.27777776, 0, 0.3333333, -0.03703705]),
        Recorded(label: "SCCE from_logits", loss: "{SparseCategoricalCrossentropy: {from_logits: true}}", outputShape: [3], finalActivation: nil,
                 targets: sparseC, inputs: logitsC, value: 1.000340223312378, gradient: logitCGradient),
        Recorded(label: "SCCE after softmax reads the logits", loss: "sparse_categorical_crossentropy", outputShape: [3],
                 finalActivation: .softmax, targets: sparseC, inputs: logitsC, value: 1.000340223312378, gradient: logitCGradient),
        Recorded(label: "SCCE from_logits on [2, 3] outputs", loss: "{SparseCategoricalCrossentropy: {from_logits: true}}",
                 outputShape: [2, 3], finalActivation: nil, targets: [0, 2, 1, 0],
                 inputs: [1, 2, 0, 0, -1, 1, 3, 0, 0, 0.5, 0.2, -0.1], value: 1.4346312284469604,
                 gradient: [-0.18881789, 0.16631024, 0.022507643, 0.06118212, 0.022507643, -0.083689764,
                            0.22736076, -0.23868038, 0.011319625, -0.14081204, 0.08088842, 0.059923615]),
        Recorded(label: "MSE", loss: "mse", outputShape: [2], finalActivation: nil, targets: targetsR, inputs: predictionsR,
                 value: 1.2300000190734863, gradient: [0.06666666, 0, -0.5, 0.33333334, -0.10000001, -0.6666667]),
        Recorded(label: "MAE", loss: "mae", outputShape: [2], finalActivation: nil, targets: targetsR, inputs: predictionsR,
                 value: 0.8333333134651184, gradient: [0.16666667, 0, -0.16666667, 0.16666667, -0.16666667, -0.16666667]),
        Recorded(label: "Huber delta 1", loss: "huber", outputShape: [2], finalActivation: nil, targets: targetsR, inputs: predictionsR,
                 value: 0.5108333230018616, gradient: [0.03333333, 0, -0.16666667, 0.16666667, -0.050000004, -0.16666667]),
        Recorded(label: "Huber delta 0.5", loss: "{Huber: {delta: 0.5}}", outputShape: [2], finalActivation: nil, targets: targetsR,
                 inputs: predictionsR, value: 0.32333335280418396,
                 gradient: [0.03333333, 0, -0.083333336, 0.083333336, -0.050000004, -0.083333336]),
    ]

    @Test(arguments: recorded)
    func matchesKerasValuesAndGradients(_ record: Recorded) throws {
        let loss = try TrainingFixtures.loss(record.loss, outputShape: record.outputShape, finalActivation: record.finalActivation)
        let batch = record.targets.count / loss.targetShape.reduce(1, *)
        let (value, gradient) = Self.evaluate(loss, inputs: record.inputs, targets: record.targets, batch: batch)
        #expect(TrainingFixtures.close(value, record.value, floor: 0), "\(value) vs Keras \(record.value)")
        for (ours, keras) in zip(gradient, record.gradient) {
            #expect(abs(ours - keras) <= 2e-6 * max(abs(keras), 1e-3), "gradient \(gradient) vs Keras \(record.gradient)")
        }
    }

    // MARK: hand-computed formulas

    @Test func regressionLossesAreElementMeans() throws {
        // Errors p − t: 0.2, 0, −1.5, 1, −0.3, −2 over 3 samples × 2 features.
        let errors: [Double] = [0.2, 0, -1.5, 1, -0.3, -2]
        let mse = errors.map { $0 * $0 }.reduce(0, +) / 6
        let mae = errors.map(abs).reduce(0, +) / 6
        func huber(_ delta: Double) -> Double {
            errors.map { abs($0) <= delta ? $0 * $0 / 2 : delta * abs($0) - delta * delta / 2 }.reduce(0, +) / 6
        }
        let cases: [(String, Double)] = [("mse", mse), ("mae", mae), ("huber", huber(1)), ("{Huber: {delta: 0.25}}", huber(0.25))]
        for (name, expected) in cases {
            let loss = try TrainingFixtures.loss(name, outputShape: [2], finalActivation: nil)
            let (value, _) = Self.evaluate(loss, inputs: Self.predictionsR, targets: Self.targetsR, batch: 3)
            #expect(TrainingFixtures.close(value, expected, relative: 1e-6, floor: 0), "\(name): \(value) vs \(expected)")
        }
    }

    @Test func crossentropiesFromProbabilitiesClipAtEpsilon() throws {
        let eps = 1e-7
        let upper = Double(Float(1) - Float(1e-7))
        func clip(_ p: Double) -> Double { min(max(p, Double(Float(1e-7))), upper) }
        // BCE: −(t·log(c + ε) + (1 − t)·log(1 − c + ε)), averaged over all 6 values.
        var bce = 0.0
        for (p, t) in zip(Self.probabilitiesB, Self.labelsB) {
            let c = clip(Double(p))
            bce -= Double(t) * log(c + eps) + (1 - Double(t)) * log(1 - c + eps)
        }
        let binary = try TrainingFixtures.loss("binary_crossentropy", outputShape: [3], finalActivation: nil)
        let (binaryValue, _) = Self.evaluate(binary, inputs: Self.probabilitiesB, targets: Self.labelsB, batch: 2)
        #expect(TrainingFixtures.close(binaryValue, bce / 6, relative: 1e-6))
        // CCE: rows normalized to sum 1, clipped, −Σ t·log, averaged over the 3 rows.
        var cce = 0.0
        for row in 0..<3 {
            let p = Self.probabilitiesC[(row * 3)..<(row * 3 + 3)].map(Double.init)
            let sum = p.reduce(0, +)
            for j in 0..<3 { cce -= Double(Self.oneHotC[row * 3 + j]) * log(clip(p[j] / sum)) }
        }
        let categorical = try TrainingFixtures.loss("categorical_crossentropy", outputShape: [3], finalActivation: nil)
        let (categoricalValue, _) = Self.evaluate(categorical, inputs: Self.probabilitiesC, targets: Self.oneHotC, batch: 3)
        #expect(TrainingFixtures.close(categoricalValue, cce / 3, relative: 1e-6))
    }

    @Test func saturatedSigmoidLosesLessThroughTheClipThanThroughTheLogits() throws {
        // z = 20 gives σ(z) = 1 in float32. With label 0, the logits path gives softplus(20) ≈ 20;
        // the clipping path only −log(1 − (1 − 2⁻²³) + 1e-7) ≈ 15.2, and no gradient.
        let z: [Float] = [20]
        let prediction = Buffer([1 / (1 + expf(-20))])
        #expect(prediction[0] == 1)
        let logitsLoss = try TrainingFixtures.loss("binary_crossentropy", outputShape: [1], finalActivation: .sigmoid)
        let clipLoss = try TrainingFixtures.loss("binary_crossentropy", outputShape: [1], finalActivation: .relu)
        #expect(logitsLoss.usesLogits && !clipLoss.usesLogits)
        let logitsGradient = Buffer(count: 1)
        let clipGradient = Buffer(count: 1)
        let viaLogits = logitsLoss.evaluate(predictions: prediction, logits: Buffer(z), targets: Buffer([0]), batch: 1, gradient: logitsGradient)
        let viaClip = clipLoss.evaluate(predictions: prediction, logits: nil, targets: Buffer([0]), batch: 1, gradient: clipGradient)
        #expect(abs(viaLogits - (20 + log1p(exp(-20.0)))) < 1e-9)
        let c = Double(Float(1) - Float(1e-7))
        #expect(abs(viaClip - -log(Double(Float(1 - Float(c)) + Float(1e-7)))) < 1e-6)
        #expect(viaClip < 15.5 && viaClip > 15)
        #expect(logitsGradient[0] == 1 && clipGradient[0] == 0)
        // Away from saturation both paths agree.
        let zMild: [Float] = [0.7, -1.2]
        let pMild = Buffer(zMild.map { 1 / (1 + expf(-$0)) })
        let targets = Buffer([1, 0])
        let a = logitsLoss.evaluate(predictions: pMild, logits: Buffer(zMild), targets: targets, batch: 2, gradient: nil)
        let b = clipLoss.evaluate(predictions: pMild, logits: nil, targets: targets, batch: 2, gradient: nil)
        #expect(abs(a - b) < 1e-6)
    }

    @Test func logitsAreReadOnlyAfterSigmoidOrSoftmax() throws {
        let cases: [(String, Activation?, Bool)] = [
            ("binary_crossentropy", .sigmoid, true), ("binary_crossentropy", .softmax, true), ("binary_crossentropy", .relu, false),
            ("binary_crossentropy", nil, false), ("categorical_crossentropy", .softmax, true), ("categorical_crossentropy", .sigmoid, true),
            ("sparse_categorical_crossentropy", .softmax, true), ("{CategoricalCrossentropy: {from_logits: true}}", .linear, false),
            ("mse", .sigmoid, false), ("huber", .softmax, false),
        ]
        for (name, activation, expected) in cases {
            let loss = try TrainingFixtures.loss(name, outputShape: [3], finalActivation: activation)
            #expect(loss.usesLogits == expected, "\(name) after \(activation?.rawValue ?? "nil")")
        }
        #expect(try TrainingFixtures.loss("sparse_categorical_crossentropy", outputShape: [5, 3], finalActivation: nil).targetShape == [5])
        #expect(try TrainingFixtures.loss("categorical_crossentropy", outputShape: [5, 3], finalActivation: nil).targetShape == [5, 3])
    }

    // MARK: gradients by finite differences

    struct GradientCase: CustomTestStringConvertible {
        let loss: String
        let outputShape: [Int]
        let finalActivation: Activation?
        /// What the inputs are: probabilities in (0.05, 0.95), logits in [−3, 3], or regression values.
        let inputs: Kind
        let targets: Kind
        enum Kind { case probabilities, logits, values, binaryLabels, softLabels, oneHot, classIds }
        var testDescription: String { "\(loss) \(outputShape) \(finalActivation?.rawValue ?? "")" }
    }

    static let gradientCases: [GradientCase] = [
        GradientCase(loss: "binary_crossentropy", outputShape: [4], finalActivation: nil, inputs: .probabilities, targets: .binaryLabels),
        GradientCase(loss: "{BinaryCrossentropy: {label_smoothing: 0.2}}", outputShape: [2, 3], finalActivation: nil,
                     inputs: .probabilities, targets: .softLabels),
        GradientCase(loss: "{BinaryCrossentropy: {from_logits: true}}", outputShape: [4], finalActivation: nil, inputs: .logits,
                     targets: .binaryLabels),
        GradientCase(loss: "{BinaryCrossentropy: {label_smoothing: 0.1}}", outputShape: [3], finalActivation: .sigmoid,
                     inputs: .logits, targets: .binaryLabels),
        GradientCase(loss: "categorical_crossentropy", outputShape: [4], finalActivation: nil, inputs: .probabilities, targets: .oneHot),
        GradientCase(loss: "{CategoricalCrossentropy: {label_smoothing: 0.3}}", outputShape: [2, 4], finalActivation: nil,
                     inputs: .probabilities, targets: .oneHot),
        GradientCase(loss: "categorical_crossentropy", outputShape: [4], finalActivation: .softmax, inputs: .logits, targets: .oneHot),
        GradientCase(loss: "{CategoricalCrossentropy: {from_logits: true, label_smoothing: 0.1}}", outputShape: [4], finalActivation: nil,
                     inputs: .logits, targets: .oneHot),
        GradientCase(loss: "sparse_categorical_crossentropy", outputShape: [4], finalActivation: nil, inputs: .probabilities,
                     targets: .classIds),
        GradientCase(loss: "sparse_categorical_crossentropy", outputShape: [3, 4], finalActivation: .softmax, inputs: .logits,
                     targets: .classIds),
        GradientCase(loss: "{SparseCategoricalCrossentropy: {from_logits: true}}", outputShape: [4], finalActivation: nil,
                     inputs: .logits, targets: .classIds),
        GradientCase(loss: "mse", outputShape: [2, 3], finalActivation: nil, inputs: .values, targets: .values),
        GradientCase(loss: "mae", outputShape: [3], finalActivation: nil, inputs: .values, targets: .values),
        GradientCase(loss: "huber", outputShape: [3], finalActivation: nil, inputs: .values, targets: .values),
        GradientCase(loss: "{Huber: {delta: 0.3}}", outputShape: [3], finalActivation: nil, inputs: .values, targets: .values),
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ testCase: GradientCase) throws {
        let loss = try TrainingFixtures.loss(testCase.loss, outputShape: testCase.outputShape, finalActivation: testCase.finalActivation)
        let batch = 3
        let classes = testCase.outputShape.last!
        let count = batch * testCase.outputShape.reduce(1, *)
        var random = RandomSource(seed: 17)
        func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * random.nextUnitFloat() }
        func make(_ kind: GradientCase.Kind, count: Int) -> [Float] {
            var hot = 0
            return (0..<count).map { index in
                switch kind {
                case .probabilities: return uniform(0.05, 0.95)
                case .logits: return uniform(-3, 3)
                case .values: return uniform(-2, 2)
                case .binaryLabels: return Float(random.next() % 2)
                case .softLabels: return uniform(0, 1)
                case .oneHot:
                    if index % classes == 0 { hot = Int(random.next() % UInt64(classes)) }
                    return index % classes == hot ? 1 : 0
                case .classIds: return Float(random.next() % UInt64(classes))
                }
            }
        }
        let targets = make(testCase.targets, count: testCase.targets == .classIds ? count / classes : count)
        var inputs = make(testCase.inputs, count: count)
        let (_, analytic) = Self.evaluate(loss, inputs: inputs, targets: targets, batch: batch)
        var mismatches: [String] = []
        for index in 0..<count {
            let original = inputs[index]
            let h = max(abs(original), 0.1) * 1e-2
            func difference(_ step: Float) -> Double {
                inputs[index] = original + step
                let plusInput = inputs[index]
                let plus = Self.evaluate(loss, inputs: inputs, targets: targets, batch: batch).0
                inputs[index] = original - step
                let minusInput = inputs[index]
                let minus = Self.evaluate(loss, inputs: inputs, targets: targets, batch: batch).0
                inputs[index] = original
                return (plus - minus) / Double(plusInput - minusInput)
            }
            // Richardson extrapolation cancels the h² error, which 1/p curvature makes large near 0.
            let numeric = (4 * difference(h / 2) - difference(h)) / 3
            // MAE and Huber have kinks; skip the few elements whose step crosses one.
            let error = abs(Double(original) - Double(testCase.targets == .values ? targets[index] : 0))
            if testCase.loss.contains("mae") || testCase.loss.contains("uber") {
                let delta = testCase.loss.contains("0.3") ? 0.3 : 1.0
                if error < 2 * Double(h) || (testCase.loss.contains("uber") && abs(error - delta) < 2 * Double(h)) { continue }
            }
            // The probability paths round q = p / Σp and c + ε to float32 as Keras does, which puts ~1e-7
            // relative noise on the value; a step of 1e-2 keeps that below this tolerance.
            if abs(numeric - Double(analytic[index])) > 1e-3 * max(abs(numeric), 0.05) {
                mismatches.append("[\(index)] analytic \(analytic[index]) numeric \(numeric)")
            }
        }
        #expect(mismatches == [])
    }

    // MARK: label checks

    @Test func labelProblemsNameTheLossTheRangeAndTheRow() throws {
        let sparse = try TrainingFixtures.loss("sparse_categorical_crossentropy", outputShape: [3], finalActivation: .softmax)
        var labels = [Float](repeating: 1, count: 20)
        #expect(sparse.labelProblem(labels, rows: 20) == nil)
        labels[17] = 3
        #expect(sparse.labelProblem(labels, rows: 20) == "labels must be integers in [0, 3) for sparse_categorical_crossentropy; found 3.0 at row 17 (counting from 0)")
        labels[17] = 0
        labels[5] = 1.5
        #expect(sparse.labelProblem(labels, rows: 20) == "labels must be integers in [0, 3) for sparse_categorical_crossentropy; found 1.5 at row 5 (counting from 0)")
        labels[5] = -1
        #expect(sparse.labelProblem(labels, rows: 20)?.hasSuffix("found -1.0 at row 5 (counting from 0)") == true)

        let binary = try TrainingFixtures.loss("binary_crossentropy", outputShape: [2], finalActivation: .sigmoid)
        var pairs = [Float](repeating: 0, count: 12)
        pairs[5] = 1
        #expect(binary.labelProblem(pairs, rows: 6) == nil)
        pairs[9] = 2
        #expect(binary.labelProblem(pairs, rows: 6) == "binary_crossentropy needs labels in [0, 1]; found 2.0 at row 4 (counting from 0)")

        let categorical = try TrainingFixtures.loss("categorical_crossentropy", outputShape: [3], finalActivation: .softmax)
        #expect(categorical.labelProblem([0, 1, 0, 0.5, 0.5, 0], rows: 2) == nil)
        #expect(categorical.labelProblem([0, 1, 0, 0, -0.5, 0], rows: 2) == "categorical_crossentropy needs labels in [0, 1]; found -0.5 at row 1 (counting from 0)")

        let mse = try TrainingFixtures.loss("mse", outputShape: [1], finalActivation: nil)
        #expect(mse.labelProblem([3, -70, 1e6], rows: 3) == nil)
        #expect(mse.labelProblem([3, .nan, 1], rows: 3) == "mean_squared_error needs finite labels; found nan at row 1 (counting from 0)")
    }
}
