extension LayerDescriptor {
    /// Normalizes each feature over the batch (training) or by its moving statistics (inference).
    static let batchNormalization = LayerDescriptor(
        kind: .batchNormalization, className: "BatchNormalization",
        doc: "Normalizes over the batch in training and by moving statistics in inference; moving_mean and moving_variance are non-trainable.",
        arguments: [
            ArgumentDecl("axis", .axes, default: .int(-1), "The feature axis (or axes) that keep their own statistics."),
            ArgumentDecl("momentum", .float(FloatInterval(0, 1)), default: .float(0.99), "Moving average factor: moving = moving·momentum + batch·(1 - momentum)."),
            ArgumentDecl("epsilon", .float(.above(0, closed: false)), default: .float(0.001), "Added to the variance before the square root."),
            ArgumentDecl("center", .bool, default: .bool(true), "Learn the offset `beta`."),
            ArgumentDecl("scale", .bool, default: .bool(true), "Learn the factor `gamma`."),
            SharedArguments.initializer("beta_initializer", default: "zeros", "Initializer of `beta`."),
            SharedArguments.initializer("gamma_initializer", default: "ones", "Initializer of `gamma`."),
            SharedArguments.initializer("moving_mean_initializer", default: "zeros", "Initializer of `moving_mean`."),
            SharedArguments.initializer("moving_variance_initializer", default: "ones", "Initializer of `moving_variance`."),
        ],
        examples: ["BatchNormalization", "BatchNormalization momentum=0.9"],
        keras: KerasForm(fixed: KerasForm.unregularized(["beta", "gamma"], activity: []) + [
            KerasFixedKey("synchronized", .bool(false), [.keras3]), KerasFixedKey("renorm", .bool(false), [.keras3]),
            KerasFixedKey("renorm_clipping", .null, [.keras3]), KerasFixedKey("renorm_momentum", .double(0.99), [.keras3]),
        ], axis: .keras3Int, callKeywords: KerasForm.maskKeyword),
        rule: single { input throws(ShapeError) in
            let args = input.arguments
            let shape = try normalizationParameterShape(input, layer: "BatchNormalization", batchNormStyle: true, needsSizes: true)
            var weights: [WeightDecl] = []
            if args.bool("scale") { weights.append(WeightDecl("gamma", shape, initializedBy: "gamma_initializer", args)) }
            if args.bool("center") { weights.append(WeightDecl("beta", shape, initializedBy: "beta_initializer", args)) }
            weights.append(WeightDecl("moving_mean", shape, trainable: false, initializedBy: "moving_mean_initializer", args))
            weights.append(WeightDecl("moving_variance", shape, trainable: false, initializedBy: "moving_variance_initializer", args))
            // x̂ beside the output, and seven per-feature statistics (the chunks' partial sums, a
            // few doubles per feature, are left out).
            let features = shape.reduce(1.0) { $0 * Double($1) }
            let workspace = input.input.valueCount.map { count in Workspace { capacity, _ in capacity * count + 7 * features } }
            return LayerTyping(output: input.input, weights: weights, workspace: workspace)
        })

    /// Normalizes each sample over its feature axis (or axes).
    static let layerNormalization = LayerDescriptor(
        kind: .layerNormalization, className: "LayerNormalization",
        doc: "Normalizes each sample over the given axes, then scales by gamma and shifts by beta.",
        arguments: [
            ArgumentDecl("axis", .axes, default: .int(-1), "The axis (or axes) normalized over."),
            ArgumentDecl("epsilon", .float(.above(0, closed: false)), default: .float(0.001), "Added to the variance before the square root."),
            ArgumentDecl("center", .bool, default: .bool(true), "Learn the offset `beta`."),
            ArgumentDecl("scale", .bool, default: .bool(true), "Learn the factor `gamma`."),
            SharedArguments.initializer("beta_initializer", default: "zeros", "Initializer of `beta`."),
            SharedArguments.initializer("gamma_initializer", default: "ones", "Initializer of `gamma`."),
        ],
        examples: ["LayerNormalization", "LayerNormalization epsilon=1e-6"],
        keras: KerasForm(fixed: [KerasFixedKey("rms_scaling", .bool(false), [.keras3])] + KerasForm.unregularized(["beta", "gamma"], activity: []),
                         axis: .keras3List),
        rule: single { input throws(ShapeError) in
            let args = input.arguments
            let needsSizes = args.bool("scale") || args.bool("center")
            let shape = try normalizationParameterShape(input, layer: "LayerNormalization", batchNormStyle: false, needsSizes: needsSizes)
            var weights: [WeightDecl] = []
            if args.bool("scale") { weights.append(WeightDecl("gamma", shape, initializedBy: "gamma_initializer", args)) }
            if args.bool("center") { weights.append(WeightDecl("beta", shape, initializedBy: "beta_initializer", args)) }
            // x̂ beside the output, and 1/σ per normalized group (a group per position of the other axes).
            var normalized = 1.0
            for written in args.ints("axis") {
                guard let written, let size = input.shape[(written < 0 ? written + input.input.kerasRank : written) - 1] else {
                    normalized = .nan
                    break
                }
                normalized *= Double(size)
            }
            let count = input.input.valueCount
            let workspace = count.map { $0 + (normalized.isNaN ? $0 : $0 / normalized) }
            return LayerTyping(output: input.input, weights: weights, workspace: .perSample(workspace))
        })
}

/// The shape of gamma/beta for the `axis` argument, as Keras builds it: the sizes of the axes, or
/// for BatchNormalization over several axes a full-rank shape with 1 elsewhere (batch included).
/// Without weights (`needsSizes` false) the axes are still checked, but their sizes may be unknown.
func normalizationParameterShape(_ input: LayerInput, layer: String, batchNormStyle: Bool, needsSizes: Bool) throws(ShapeError) -> [Int] {
    try input.requireRank(.atLeast(2), "(batch, ..., features)")
    let rank = input.input.kerasRank
    var axes: [Int] = []
    for written in input.arguments.ints("axis") {
        guard let written else { throw .argument("axis", "needs an integer axis, not null") }
        let axis = written < 0 ? written + rank : written
        guard axis >= 0, axis < rank else {
            throw .argument("axis", "has axis \(written), out of range for the \(rank)-D input \(input.input.kerasDescription); use -1 for the last axis")
        }
        guard axis != 0 else {
            throw .argument("axis", "has axis 0, the batch axis; use a feature axis such as -1")
        }
        if axes.contains(axis) { throw .argument("axis", "lists axis \(written) twice") }
        axes.append(axis)
    }
    guard needsSizes else { return [] }
    var sizes: [Int] = []
    for axis in axes {
        guard let size = input.shape[axis - 1] else {
            throw .message("needs the size of axis \(axis) to be known to build its weights, but gets \(input.input.kerasDescription)")
        }
        sizes.append(size)
    }
    if batchNormStyle, axes.count > 1 {
        return (0..<rank).map { axis in axes.firstIndex(of: axis).map { sizes[$0] } ?? 1 }
    }
    return sizes
}
