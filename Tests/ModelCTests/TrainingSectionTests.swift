import Testing
@testable import ModelC

/// `compile` and `fit`: names, Keras defaults, ranges, and the checks against the model's output.
@Suite struct TrainingSectionTests {
    static let binaryModel = "input: [8]\nlayers:\n  - Dense 4 relu\n  - Dense 1 sigmoid\n"

    static func spec(_ compile: String, fit: String? = nil, model: String = binaryModel) -> String {
        model + "compile: " + compile + "\n" + (fit.map { "fit: " + $0 + "\n" } ?? "")
    }

    static func compile(_ text: String) throws -> CompileConfig {
        let result = TestSupport.check(spec(text))
        return try #require(result.model?.compile, "\(result.diagnostics.map(\.message))")
    }

    @Test func optimizersByNameTakeKerasDefaults() throws {
        let expected: [(String, String, Double)] = [
            ("sgd", "SGD", 0.01), ("rmsprop", "RMSprop", 0.001), ("adam", "Adam", 0.001), ("Adam", "Adam", 0.001),
            ("adamw", "AdamW", 0.001), ("adagrad", "Adagrad", 0.001), ("nadam", "Nadam", 0.001), ("RMSprop", "RMSprop", 0.001),
        ]
        for (name, className, rate) in expected {
            let config = try Self.compile("{optimizer: \(name), loss: mse}")
            #expect(config.optimizer.descriptor.className == className)
            #expect(config.optimizer.arguments.float("learning_rate") == rate)
        }
        let adam = try Self.compile("{optimizer: adam, loss: mse}").optimizer.arguments
        #expect(adam.float("beta_1") == 0.9 && adam.float("beta_2") == 0.999 && adam.float("epsilon") == 1e-7)
        #expect(adam.bool("amsgrad") == false && adam["weight_decay"] == .null)
        #expect(try Self.compile("{optimizer: adamw, loss: mse}").optimizer.arguments.float("weight_decay") == 0.004)
        let rmsprop = try Self.compile("{optimizer: rmsprop, loss: mse}").optimizer.arguments
        #expect(rmsprop.float("rho") == 0.9 && rmsprop.float("momentum") == 0 && rmsprop.bool("centered") == false)
        #expect(try Self.compile("{optimizer: adagrad, loss: mse}").optimizer.arguments.float("initial_accumulator_value") == 0.1)
        let sgd = try Self.compile("{optimizer: sgd, loss: mse}").optimizer.arguments
        #expect(sgd.float("momentum") == 0 && sgd.bool("nesterov") == false)
        #expect(try Self.compile("{loss: mse}").optimizer.descriptor.className == "RMSprop")
    }

    @Test func optimizerClassFormTakesArguments() throws {
        let config = try Self.compile("{optimizer: {SGD: {learning_rate: 0.05, momentum: 0.9, nesterov: true, clipnorm: 1.0}}, loss: mse}")
        #expect(config.optimizer.arguments.float("learning_rate") == 0.05)
        #expect(config.optimizer.arguments.bool("nesterov"))
        #expect(config.optimizer.arguments.optionalFloat("clipnorm") == 1.0)
        #expect(try Self.compile("{optimizer: {Adam: null}, loss: mse}").optimizer.descriptor.className == "Adam")
    }

    @Test func optimizerErrors() {
        #expect(TestSupport.errors(Self.spec("{optimizer: {SGD: {momentum: 1.5}}, loss: mse}"))
                == ["SGD momentum must be between 0 and 1, got 1.5"])
        #expect(TestSupport.errors(Self.spec("{optimizer: {Adam: {beta_1: 1}}, loss: mse}"))
                == ["Adam beta_1 must be between 0 and 1 (exclusive), got 1"])
        #expect(TestSupport.errors(Self.spec("{optimizer: {RMSprop: {clipnorm: 1, global_clipnorm: 1}}, loss: mse}"))
                == ["RMSprop takes only one of clipnorm, clipvalue and global_clipnorm (Keras refuses more); keep clipnorm or global_clipnorm"])
        #expect(TestSupport.errors(Self.spec("{optimizer: {Adam: {lr: 0.1}}, loss: mse}"))
                == ["Adam has no argument 'lr'; Keras 2.11 renamed it learning_rate"])
        #expect(TestSupport.errors(Self.spec("{optimizer: Adadelta, loss: mse}"))
                == ["unknown optimizer 'Adadelta'; modelc knows SGD, RMSprop, Adam, AdamW, Adagrad, Nadam"])
        #expect(TestSupport.errors(Self.spec("{optimizer: adamm, loss: mse}")) == ["unknown optimizer 'adamm'; did you mean 'adam'?"])
        #expect(TestSupport.errors(Self.spec("{optimizer: 3, loss: mse}"))
                == ["an optimizer is a name such as `sgd` or `{SGD: {arguments}}`, not an integer"])
        #expect(TestSupport.errors(Self.spec("{optimizer: {Adam: {}, SGD: {}}, loss: mse}"))
                == ["an optimizer is one name or a one-key mapping `{ClassName: {arguments}}`, but this mapping has 2 keys"])
        #expect(TestSupport.errors(Self.spec("{optimizer: {Adam: 0.1}, loss: mse}"))
                == ["the arguments of Adam are a mapping such as `{learning_rate: ...}`"])
    }

    @Test func lossesByAliasAndClass() throws {
        for (name, className) in [("mse", "MeanSquaredError"), ("MSE", "MeanSquaredError"), ("mean_squared_error", "MeanSquaredError"),
                                  ("mae", "MeanAbsoluteError"), ("huber", "Huber"), ("binary_crossentropy", "BinaryCrossentropy"),
                                  ("bce", "BinaryCrossentropy")] {
            #expect(try Self.compile("{optimizer: adam, loss: \(name)}").loss.descriptor.className == className)
        }
        let huber = try Self.compile("{loss: {Huber: {delta: 2.5}}}").loss
        #expect(huber.arguments.float("delta") == 2.5)
        let bce = try Self.compile("{loss: {BinaryCrossentropy: {label_smoothing: 0.1}}}").loss
        #expect(bce.arguments.float("label_smoothing") == 0.1 && bce.arguments.bool("from_logits") == false)
        #expect(TestSupport.errors(Self.spec("{optimizer: adam}")) == ["compile needs a loss, e.g. `loss: binary_crossentropy`"])
        #expect(TestSupport.errors(Self.spec("{loss: kld}")).first?.hasPrefix("unknown loss 'kld'; modelc knows BinaryCrossentropy") == true)
        #expect(TestSupport.errors(Self.binaryModel + "compile: adam\n") == ["`compile` is a mapping such as `{optimizer: adam, loss: mse}`, not a string"])
        #expect(TestSupport.errors(Self.spec("{loss: mse, optimiser: adam}")) == ["compile has no argument 'optimiser'; did you mean 'optimizer'?"])
    }

    @Test func metricsAreLoggedUnderKerasNames() throws {
        let config = try Self.compile("{loss: binary_crossentropy, metrics: [acc, AUC, mse, {BinaryAccuracy: {threshold: 0.7}}, {AUC: {name: pr_auc, curve: PR}}]}")
        #expect(config.metrics.map(\.loggedName) == ["acc", "auc", "mse", "binary_accuracy", "pr_auc"])
        #expect(config.metrics[3].arguments.float("threshold") == 0.7)
        #expect(TestSupport.errors(Self.spec("{loss: mse, metrics: [accuracy, accuracy]}")) == ["metric 'accuracy' is listed twice; keep one"])
        #expect(TestSupport.errors(Self.spec("{loss: mse, metrics: {accuracy: null}}")) == ["metrics is a list such as `[accuracy]`, or a mapping from output names to lists; 'accuracy' is a metric, not an output of the model (dense_1)"])
    }

    static let softmaxModel = "input: [8]\nlayers:\n  - Dense 3 softmax\n  - Dropout 0.2\n"
    static let linearModel = "input: [8]\nlayers:\n  - Dense 3\n"

    @Test func lossesMustSuitTheOutput() {
        #expect(TestSupport.errors(Self.spec("{loss: binary_crossentropy}", model: Self.softmaxModel)) == [
            "binary_crossentropy treats each output as an independent probability, but dense ends in a softmax over 3 units; use categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy (integer labels), or sigmoid for multi-label outputs",
        ])
        #expect(TestSupport.errors(Self.spec("{loss: categorical_crossentropy}")) == [
            "categorical_crossentropy needs one output unit per class, but dense_1 has 1 unit; for two classes use binary_crossentropy with a sigmoid unit",
        ])
        #expect(TestSupport.errors(Self.spec("{loss: mse, metrics: [AUC]}", model: Self.softmaxModel)) == [
            "AUC is computed for binary outputs (one unit), but dense has 3 units",
        ])
        #expect(TestSupport.errors(Self.spec("{loss: sparse_categorical_crossentropy}", model: Self.softmaxModel)).isEmpty)
    }

    @Test func unusualLossPairingsAreWarnings() {
        #expect(TestSupport.warnings(Self.spec("{loss: binary_crossentropy}", model: "input: [8]\nlayers:\n  - Dense 1\n")) == [
            "binary_crossentropy expects probabilities, but dense outputs linear values; add activation: sigmoid, or set from_logits: true on the loss",
        ])
        #expect(TestSupport.warnings(Self.spec("{loss: {BinaryCrossentropy: {from_logits: true}}}")) == [
            "from_logits: true expects raw scores, but dense_1 already applies sigmoid; remove the activation or from_logits",
        ])
        #expect(TestSupport.warnings(Self.spec("{loss: categorical_crossentropy}", model: Self.linearModel)) == [
            "categorical_crossentropy expects a softmax over the classes, but dense outputs linear values; add activation: softmax, or set from_logits: true on the loss",
        ])
        #expect(TestSupport.warnings(Self.spec("{loss: {SparseCategoricalCrossentropy: {from_logits: true}}}", model: Self.softmaxModel)) == [
            "from_logits: true expects raw scores, but dense already applies softmax; remove the activation or from_logits",
        ])
        #expect(TestSupport.warnings(Self.spec("{loss: {CategoricalCrossentropy: {from_logits: true}}}", model: Self.linearModel)).isEmpty)
    }

    @Test func fitTakesKerasDefaults() throws {
        let result = TestSupport.check(Self.spec("{loss: mse}", fit: "{}"))
        let fit = try #require(result.model?.fit)
        #expect(fit.epochs == 1 && fit.batchSize == 32)
        #expect(fit.arguments.bool("shuffle") && fit.arguments["seed"] == .null && fit.arguments.int("verbose") == 1)
        #expect(fit.validationSplit == nil && fit.callbacks.isEmpty)
        let full = try #require(TestSupport.check(Self.spec("{loss: mse, metrics: [mae]}", fit: """
            {epochs: 5, batch_size: 8, shuffle: false, seed: 42, validation: {split: 0.25},
             callbacks: [EarlyStopping, {ReduceLROnPlateau: {monitor: val_mae, factor: 0.5}}, {ModelCheckpoint: {filepath: runs/best.safetensors, save_best_only: true}}]}
            """)).model?.fit)
        #expect(full.epochs == 5 && full.batchSize == 8 && full.validationSplit == 0.25 && full.arguments.int("seed") == 42)
        #expect(full.callbacks.map(\.descriptor.className) == ["EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint"])
        #expect(full.callbacks[0].arguments.string("monitor") == "val_loss" && full.callbacks[0].arguments.int("patience") == 0)
        #expect(full.callbacks[1].arguments.float("factor") == 0.5 && full.callbacks[1].arguments.int("patience") == 10)
    }

    @Test func fitErrors() {
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{batch_size: 0}")) == ["fit batch_size must be at least 1, got 0"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{validation: 0.2}")) == ["validation is a mapping; write `validation: {split: 0.2}`"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{validation: {}}")) == ["validation needs split; for example `validation: {split: 0.2}`"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{callbacks: EarlyStopping}")) == ["callbacks is a list such as `[EarlyStopping: {patience: 3}]`"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{callbacks: [{EarlyStoping: {}}]}")) == ["unknown callback 'EarlyStoping'; did you mean 'EarlyStopping'?"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{callbacks: [{ModelCheckpoint: {}}]}")) == ["ModelCheckpoint needs filepath"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{callbacks: [{ModelCheckpoint: {filepath: /tmp/x.safetensors}}]}"))
                == ["ModelCheckpoint filepath '/tmp/x.safetensors' must stay inside the run directory; give a relative path without '..'"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{validation: {split: 0.2}, callbacks: [{EarlyStopping: {monitor: accuracy}}]}"))
                == ["EarlyStopping monitor 'accuracy' is not logged; this model logs loss, val_loss"])
        #expect(TestSupport.errors(Self.spec("{loss: mse}", fit: "{callbacks: [{EarlyStopping: {mode: bigger}}]}")).first
                == "EarlyStopping mode 'bigger' is not one of auto, min, max")
        #expect(TestSupport.errors(Self.binaryModel + "fit: [1]\n") == ["`fit` is a mapping such as `{epochs: 10, batch_size: 64}`, not a list"])
    }
}
