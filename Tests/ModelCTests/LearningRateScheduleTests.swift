import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Keras's learning-rate schedules: as an optimizer's learning_rate (per step) and under
/// LearningRateScheduler (per epoch), checked, trained with, and carried through Keras files.
struct LearningRateScheduleTests {
    static func schedule(_ text: String) throws -> LearningRateSchedule {
        let spec = "input: [2]\nlayers: [Dense 1]\ncompile: {optimizer: {SGD: {learning_rate: \(text)}}, loss: mse}\n"
        let errors = TestSupport.errors(spec)
        let model = try #require(TestSupport.model(spec), "\(errors)")
        let config = try #require(model.compile?.optimizer.schedules["learning_rate"])
        return LearningRateSchedule(config)
    }

    /// Each schedule's values at chosen steps, worked out by hand from Keras's formulas.
    static let cases: [(String, [(Int, Double)])] = [
        // initial · rate^(step / decay_steps), and floored exponents with staircase.
        ("{ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5}}",
         [(0, 0.1), (10, 0.05), (5, 0.07071067811865475), (30, 0.0125)]),
        ("{ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: true}}",
         [(9, 0.1), (15, 0.05), (20, 0.025)]),
        // values[0] up to and including boundaries[0], then the next, ...
        ("{PiecewiseConstantDecay: {boundaries: [10, 20], values: [1.0, 0.5, 0.1]}}",
         [(0, 1.0), (10, 1.0), (11, 0.5), (20, 0.5), (21, 0.1), (1000, 0.1)]),
        // (0.1 − 0.01)·(1 − t/10)² + 0.01, t capped at 10.
        ("{PolynomialDecay: {initial_learning_rate: 0.1, decay_steps: 10, end_learning_rate: 0.01, power: 2}}",
         [(0, 0.1), (5, 0.0325), (10, 0.01), (20, 0.01)]),
        // With cycle the horizon is the next multiple of 10: step 15 → 0.09·(1 − 15/20)² + 0.01.
        ("{PolynomialDecay: {initial_learning_rate: 0.1, decay_steps: 10, end_learning_rate: 0.01, power: 2, cycle: true}}",
         [(0, 0.1), (10, 0.01), (15, 0.015625)]),
        // Half a cosine to alpha·initial: at the midpoint 0.9·0.5 + 0.1.
        ("{CosineDecay: {initial_learning_rate: 1.0, decay_steps: 10, alpha: 0.1}}",
         [(0, 1.0), (5, 0.55), (10, 0.1), (50, 0.1)]),
        // Linear warmup 0.2 → 1 over 4 steps, then the cosine from 1 over 10 more.
        ("{CosineDecay: {initial_learning_rate: 0.2, decay_steps: 10, warmup_target: 1.0, warmup_steps: 4}}",
         [(0, 0.2), (2, 0.6), (4, 1.0), (9, 0.5), (14, 0.0), (99, 0.0)]),
    ]

    @Test(arguments: Self.cases)
    func valuesFollowKerasFormulas(_ text: String, _ expected: [(Int, Double)]) throws {
        let schedule = try Self.schedule(text)
        for (step, value) in expected {
            #expect(abs(Double(schedule.rate(at: step)) - value) <= 1e-7 + 1e-6 * value, "\(text) at step \(step): \(schedule.rate(at: step))")
        }
    }

    /// tf_keras 2.21's values of the same schedules at steps 0, 1, 2, 3, 5, 7, 9, 10, 11, 14, 15, 20,
    /// 21, 30, 50 (float32 results widened, recorded with `schedule(np.int64(step))` in a venv
    /// outside the project): modelc's float32 arithmetic gives them within one ulp.
    static let kerasSteps = [0, 1, 2, 3, 5, 7, 9, 10, 11, 14, 15, 20, 21, 30, 50]
    static let kerasValues: [(String, [Double])] = [
        ("{ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5}}",
         [0.10000000149011612, 0.09330330044031143, 0.08705505728721619, 0.08122523874044418, 0.0707106813788414, 0.06155722215771675, 0.05358867719769478, 0.05000000074505806, 0.046651650220155716, 0.037892915308475494, 0.0353553406894207, 0.02500000037252903, 0.023325826972723007, 0.012500000186264515, 0.0031250000465661287]),
        ("{ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: true}}",
         [0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.05000000074505806, 0.05000000074505806, 0.05000000074505806, 0.05000000074505806, 0.02500000037252903, 0.02500000037252903, 0.012500000186264515, 0.0031250000465661287]),
        ("{PiecewiseConstantDecay: {boundaries: [10, 20], values: [1.0, 0.5, 0.1]}}",
         [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612]),
        ("{PolynomialDecay: {initial_learning_rate: 0.1, decay_steps: 10, end_learning_rate: 0.01, power: 2}}",
         [0.10000000149011612, 0.08289999514818192, 0.06760000437498093, 0.054099999368190765, 0.032499998807907104, 0.01810000091791153, 0.010900000110268593, 0.009999999776482582, 0.009999999776482582, 0.009999999776482582, 0.009999999776482582, 0.009999999776482582, 0.009999999776482582, 0.009999999776482582, 0.009999999776482582]),
        ("{PolynomialDecay: {initial_learning_rate: 0.1, decay_steps: 10, end_learning_rate: 0.01, power: 2, cycle: true}}",
         [0.10000000149011612, 0.08289999514818192, 0.06760000437498093, 0.054099999368190765, 0.032499998807907104, 0.01810000091791153, 0.010900000110268593, 0.009999999776482582, 0.028224999085068703, 0.01810000091791153, 0.015625, 0.009999999776482582, 0.01810000091791153, 0.009999999776482582, 0.009999999776482582]),
        ("{CosineDecay: {initial_learning_rate: 1.0, decay_steps: 10, alpha: 0.1}}",
         [1.0, 0.9779754281044006, 0.9140576124191284, 0.8145033717155457, 0.5499999523162842, 0.28549665212631226, 0.12202458083629608, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612]),
        ("{CosineDecay: {initial_learning_rate: 0.2, decay_steps: 10, warmup_target: 1.0, warmup_steps: 4}}",
         [0.20000000298023224, 0.4000000059604645, 0.6000000238418579, 0.800000011920929, 0.9755282402038574, 0.7938926219940186, 0.4999999701976776, 0.3454914093017578, 0.20610740780830383, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        ("{CosineDecay: {initial_learning_rate: 0.01, decay_steps: 37, alpha: 0.3}}",
         [0.009999999776482582, 0.009987390600144863, 0.009949656203389168, 0.009887064807116985, 0.009689299389719963, 0.009399783797562122, 0.009026845917105675, 0.008812361396849155, 0.008581215515732765, 0.00780499679967761, 0.0075248791836202145, 0.006055437959730625, 0.0057626222260296345, 0.0036002162378281355, 0.003000000026077032]),
    ]

    @Test(arguments: Self.kerasValues)
    func valuesAgreeWithTFKeras(_ text: String, _ keras: [Double]) throws {
        let schedule = try Self.schedule(text)
        for (step, value) in zip(Self.kerasSteps, keras) {
            let ours = schedule.rate(at: step), theirs = Float(value)
            #expect(ours == theirs || ours.nextUp == theirs || ours.nextDown == theirs, "\(text) at \(step): \(ours) vs Keras \(theirs)")
        }
    }

    /// As an optimizer's learning_rate the schedule is read at the iterations before each update:
    /// plain SGD with a gradient of 1 moves by the rate of steps 0, 1, 2, ...
    @Test func optimizerReadsTheScheduleAtEveryStep() throws {
        let model = try #require(TestSupport.model("""
            input: [1]
            layers: [Dense 1 use_bias=false]
            compile: {optimizer: {SGD: {learning_rate: {PiecewiseConstantDecay: {boundaries: [1], values: [1.0, 0.25]}}}}, loss: mse}

            """))
        let parameter = Parameter(name: "dense/kernel", shape: [1, 1], trainable: true, initializer: "zeros")
        let optimizer = Optimizer(try #require(model.compile).optimizer, parameters: [parameter])
        var positions: [Float] = []
        for _ in 0..<4 {
            parameter.gradient[0] = 1
            optimizer.step()
            positions.append(parameter.value[0])
        }
        // Steps 0 and 1 (≤ boundary 1) move by 1, steps 2 and 3 by 0.25.
        #expect(positions == [-1, -2, -2.25, -2.5])
        #expect(optimizer.learningRate == 0.25)
    }

    static func trainingSpec(_ callbacks: String, optimizer: String = "{SGD: {learning_rate: 0.5}}", epochs: Int = 3, verbose: Int = 0) -> String {
        """
        input: [2]
        layers: [Dense 1 sigmoid]
        compile: {optimizer: \(optimizer), loss: binary_crossentropy}
        fit:
          epochs: \(epochs)
          batch_size: 2
          verbose: \(verbose)
          seed: 1
          callbacks: \(callbacks)
        data:
          train: {x: [[0, 1], [1, 0], [1, 1], [0, 0]], y: [1, 1, 0, 0]}

        """
    }

    /// LearningRateScheduler sets the rate at each epoch's start to the schedule at the epoch number,
    /// logs it as `lr`, and with verbose says so in Keras's words after the epoch line.
    @Test func schedulerSetsTheRateEachEpoch() throws {
        let folder = try TestSupport.temporaryDirectory("lrscheduler")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = Self.trainingSpec("[LearningRateScheduler: {schedule: {ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5}}, verbose: 1}]",
                                     verbose: 2)
        try spec.write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
        let result = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"))
        #expect(result.code == 0, "\(result.error)")
        #expect(result.out.contains("Epoch 1/3\n\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n"), "\(result.out)")
        #expect(result.out.contains("\nEpoch 3: LearningRateScheduler setting learning rate to 0.025.\n"))
        let rows = TestSupport.read(folder + "/run/history.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try #require(rows[0].firstIndex(of: "lr"))
        #expect(rows.dropFirst().map { Float(String($0[column])) } == [0.1, 0.05, 0.025])
    }

    /// The same weights as training with the rate changed by hand between epochs: what the
    /// scheduler does is exactly setting the optimizer's rate before each epoch's first step.
    @Test func scheduledTrainingMatchesAStepwiseRate() throws {
        let folder = try TestSupport.temporaryDirectory("lrschedule-steps")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An optimizer schedule per step (2 steps per epoch) against a PiecewiseConstantDecay per epoch
        // that changes at the same points: steps 0–1 at 0.5, from step 2 on at 0.1.
        let perStep = Self.trainingSpec("[]", optimizer: "{SGD: {learning_rate: {PiecewiseConstantDecay: {boundaries: [1], values: [0.5, 0.1]}}}}")
        let perEpoch = Self.trainingSpec("[LearningRateScheduler: {schedule: {PiecewiseConstantDecay: {boundaries: [0], values: [0.5, 0.1]}}}]")
        try perStep.write(toFile: folder + "/steps.yaml", atomically: true, encoding: .utf8)
        try perEpoch.write(toFile: folder + "/epochs.yaml", atomically: true, encoding: .utf8)
        #expect(RunSupport.train(folder + "/steps.yaml", TrainOptions(runDirectory: folder + "/a")).code == 0)
        #expect(RunSupport.train(folder + "/epochs.yaml", TrainOptions(runDirectory: folder + "/b")).code == 0)
        func weights(_ run: String) throws -> [String: SafeTensors.Tensor] {
            let path = folder + "/\(run)/weights.safetensors"
            return try RunSupport.safetensors(path)
        }
        let a = try weights("a")
        #expect(try weights("b") == a)
        let plain = Self.trainingSpec("[]")
        try plain.write(toFile: folder + "/plain.yaml", atomically: true, encoding: .utf8)
        #expect(RunSupport.train(folder + "/plain.yaml", TrainOptions(runDirectory: folder + "/c")).code == 0)
        #expect(try weights("c") != a, "the schedule changed the run")
    }

    @Test(arguments: [
        ("{PiecewiseConstantDecay: {boundaries: [10, 20], values: [1.0, 0.5]}}",
         "PiecewiseConstantDecay needs one more value than boundaries (a rate before the first boundary and after each); got 2 boundaries and 2 values"),
        ("{PiecewiseConstantDecay: {boundaries: [10, 10], values: [1.0, 0.5, 0.1]}}",
         "PiecewiseConstantDecay boundaries must increase strictly; 10 follows 10"),
        ("{PiecewiseConstantDecay: {boundaries: [1.5], values: [1.0, 0.5]}}",
         "PiecewiseConstantDecay boundaries are whole steps (Keras casts them to the step's integer type), got 1.5"),
        ("{CosineDecay: {initial_learning_rate: 0.1, decay_steps: 10, warmup_steps: 5}}",
         "CosineDecay warmup_steps needs a warmup_target, the rate the warmup climbs to (without one Keras skips the warmup)"),
        ("{ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 10}}",
         "ExponentialDecay needs decay_rate"),
        ("{ExponentalDecay: {initial_learning_rate: 0.1}}", "unknown learning-rate schedule 'ExponentalDecay'; did you mean 'ExponentialDecay'?"),
        ("fast", "SGD learning_rate must be a number or a learning-rate schedule such as `{ExponentialDecay: {initial_learning_rate: 0.01, decay_steps: 1000, decay_rate: 0.9}}`"),
        ("{PolynomialDecay: {initial_learning_rate: 0.1, decay_steps: 0}}", "PolynomialDecay decay_steps must be greater than 0, got 0"),
    ])
    func badSchedulesAreRefused(_ rate: String, _ expected: String) {
        let errors = TestSupport.errors("input: [2]\nlayers: [Dense 1]\ncompile: {optimizer: {SGD: {learning_rate: \(rate)}}, loss: mse}\n")
        #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
    }

    /// Keras refuses to let a callback set the rate of an optimizer that has a schedule.
    @Test(arguments: ["LearningRateScheduler: {schedule: {ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5}}}",
                      "ReduceLROnPlateau: {monitor: loss}"])
    func callbacksCannotSetAScheduledRate(_ callback: String) {
        let result = TestSupport.check(Self.trainingSpec("[\(callback)]",
                                                         optimizer: "{Adam: {learning_rate: {CosineDecay: {initial_learning_rate: 0.01, decay_steps: 100}}}}"))
        let error = result.diagnostics.first { $0.code == .conflictingOptions }
        #expect(error?.message.contains("the optimizer's learning_rate is the schedule CosineDecay, which Keras does not let a callback change") == true,
                "\(result.diagnostics.map(\.message))")
        #expect(error?.notes.first?.message == "the schedule is given here")
        #expect(error?.notes.first?.range.start.line == 3)
    }

    @Test func schedulerNeedsASchedule() {
        let errors = TestSupport.errors(Self.trainingSpec("[LearningRateScheduler: {schedule: 0.1}]"))
        #expect(errors.contains { $0.hasPrefix("LearningRateScheduler schedule must be a learning-rate schedule such as") }, "\(errors)")
        #expect(TestSupport.errors(Self.trainingSpec("[LearningRateScheduler: {verbose: 1}]")).contains { $0.contains("LearningRateScheduler needs schedule") })
    }

    /// A schedule is written into Keras files as Keras serializes it, and read back by import.
    @Test(arguments: [KerasFlavor.keras3, .tfKeras])
    func kerasFilesCarryTheSchedule(_ flavor: KerasFlavor) throws {
        let model = try #require(TestSupport.model("""
            input: [2]
            layers: [Dense 1]
            compile: {optimizer: {Adam: {learning_rate: {PiecewiseConstantDecay: {boundaries: [100, 200], values: [0.01, 0.005, 0.001]}}}}, loss: mse}

            """))
        let config = KerasConfigWriter.compileConfig(try #require(model.compile), model: model, flavor: flavor)
        let optimizer = try #require(flavor == .keras3 ? config["optimizer"] : config["optimizer_config"])
        let rate = try #require(optimizer["config"]?["learning_rate"])
        #expect(rate["class_name"] == .string("PiecewiseConstantDecay"))
        #expect(rate["module"] == .string("keras.optimizers.schedules"))
        #expect(rate["config"]?["boundaries"] == .array([.int(100), .int(200)]))
        #expect(rate["config"]?["values"] == .array([.double(0.01), .double(0.005), .double(0.001)]))
        #expect(rate["config"]?["name"] == (flavor == .keras3 ? .string("PiecewiseConstant") : .null))
        var problems: [String] = []
        let text = try #require(KerasImportCompile.optimizer(optimizer, problems: &problems))
        #expect(problems.isEmpty, "\(problems)")
        #expect(text == "{Adam: {learning_rate: {PiecewiseConstantDecay: {boundaries: [100, 200], values: [0.01, 0.005, 0.001]}}}}")
    }
}
