/// Argument declarations several layers share, written once with Keras's defaults.
enum SharedArguments {
    static func activation(default name: String, _ doc: String = "Applied to the output.") -> ArgumentDecl {
        ArgumentDecl("activation", .activation, default: .string(name), doc)
    }

    static let useBias = ArgumentDecl("use_bias", .bool, default: .bool(true), "Whether the layer adds a bias vector.")

    static func initializer(_ name: String, default value: String, _ doc: String) -> ArgumentDecl {
        ArgumentDecl(name, .initializer, default: .string(value), doc)
    }

    static let kernelInitializer = initializer("kernel_initializer", default: "glorot_uniform", "Initializer of `kernel`.")
    static let biasInitializer = initializer("bias_initializer", default: "zeros", "Initializer of `bias`.")

    /// A dropout fraction in [0, 1].
    static func rate(_ name: String, default value: Double?, _ doc: String) -> ArgumentDecl {
        ArgumentDecl(name, .float(FloatInterval(0, 1)), default: value.map { .float($0) }, doc)
    }

    static let seed = ArgumentDecl("seed", .optional(.int(min: 0, max: Int(Int32.max))), default: .null,
                                   "Seed of the dropout mask; null draws from the run's seed.")

    static let padding1D = ArgumentDecl("padding", .choice(["valid", "same"]), default: .string("valid"),
                                        "`valid`: no padding; `same`: pad so that the output length is ceil(length / strides).")

    static let keepdims = ArgumentDecl("keepdims", .bool, default: .bool(false), "Keep the time axis with length 1.")

    /// The Keras config keys SimpleRNN, LSTM and GRU write that modelc fixes at their defaults.
    static func recurrentKeras(gated: Bool, cell: String) -> KerasForm {
        var fixed = [
            KerasFixedKey("zero_output_for_mask", .bool(false), [.keras3]),
            KerasFixedKey("time_major", .bool(false), [.tfKeras]),
        ] + KerasForm.unregularized(["kernel", "recurrent", "bias"])
        if gated {
            fixed += [KerasFixedKey("implementation", .int(2), [.tfKeras]), KerasFixedKey("seed", .null, [.keras3])]
        }
        return KerasForm(fixed: fixed, cell: cell, callKeywords: KerasForm.maskKeyword + KerasForm.trainingKeyword)
    }

    /// The arguments SimpleRNN, LSTM and GRU share, in Keras's order around the layer-specific ones.
    static func recurrent(activationDefault: String = "tanh", gated: Bool, extra: [ArgumentDecl], tail: [ArgumentDecl] = []) -> [ArgumentDecl] {
        var arguments = [
            ArgumentDecl("units", .int(min: 1, max: Int(Int32.max)), default: nil, "Size of the hidden state (and of the output)."),
            activation(default: activationDefault, "Applied to the candidate state and the output."),
        ]
        if gated {
            arguments.append(ArgumentDecl("recurrent_activation", .activation, default: .string("sigmoid"), "Applied to the gates."))
        }
        arguments += [
            useBias,
            kernelInitializer,
            initializer("recurrent_initializer", default: "orthogonal", "Initializer of `recurrent_kernel`."),
            biasInitializer,
        ]
        arguments += extra
        arguments += [
            rate("dropout", default: 0, "Fraction of the inputs dropped in training (one mask per sequence, as Keras)."),
            rate("recurrent_dropout", default: 0, "Fraction of the recurrent state dropped in training."),
            ArgumentDecl("return_sequences", .bool, default: .bool(false), "Output every timestep (batch, timesteps, units) instead of the last (batch, units)."),
            ArgumentDecl("return_state", .bool, default: .bool(false), "Keras returns the final states too; a Sequential model cannot pass them on, so it must stay false."),
            ArgumentDecl("go_backwards", .bool, default: .bool(false), "Process the sequence in reverse (the output keeps reverse order, as in Keras)."),
            ArgumentDecl("stateful", .bool, default: .bool(false), "Keras carries states across batches; modelc trains stateless models, so it must stay false."),
            ArgumentDecl("unroll", .bool, default: .bool(false), "Accepted for compatibility; does not change results."),
        ]
        arguments += tail
        return arguments
    }
}
