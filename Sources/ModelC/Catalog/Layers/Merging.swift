/// Keras's merge layers (tf_keras `layers/merging`): they take a list of tensors and have no weights.
extension LayerDescriptor {
    /// Σ xᵢ, summed left to right. x₁…xₙ broadcast to one shape.
    static let add = elementwise(.add, "Add", doc: "Sums its inputs elementwise (shapes equal, or sizes of 1 that broadcast).")

    /// x₁ - x₂.
    static let subtract = elementwise(.subtract, "Subtract", arity: .exactly(2),
                                      doc: "The first input minus the second, elementwise; exactly two inputs.")

    /// Π xᵢ, multiplied left to right.
    static let multiply = elementwise(.multiply, "Multiply", doc: "Multiplies its inputs elementwise.")

    /// (Σ xᵢ) / n.
    static let average = elementwise(.average, "Average", doc: "The elementwise mean of its inputs.")

    /// max(xᵢ); ties take the gradient to the first input holding the maximum, as tf.maximum does.
    static let maximum = elementwise(.maximum, "Maximum", doc: "The elementwise maximum of its inputs.")

    /// min(xᵢ); ties as for Maximum.
    static let minimum = elementwise(.minimum, "Minimum", doc: "The elementwise minimum of its inputs.")

    /// Joins its inputs along one axis; every other axis must match.
    static let concatenate = LayerDescriptor(
        kind: .concatenate, className: "Concatenate",
        doc: "Joins its inputs along `axis`; every other size must match.",
        arguments: [
            ArgumentDecl("axis", .int(min: -64, max: 64), default: .int(-1),
                         "The axis joined, counted as Keras counts it (1 is the first axis after the batch, -1 the last)."),
        ],
        positional: ["axis"], traits: [.merge],
        examples: ["Concatenate inputs=[lstm, side]", "Concatenate 1 inputs=[a, b]"],
        rule: ShapeRule(arity: .atLeast(1)) { inputs throws(ShapeError) in
            let rank = inputs.types[0].kerasRank
            let axis = inputs.arguments.int("axis")
            guard let position = kerasAxis(axis, rank: rank) else {
                throw .argument("axis", "axis \(axis) is outside the inputs' axes: they have \(rank) with the batch axis, so axis is 1 … \(rank - 1) or -\(rank - 1) … -1 (0 is the batch axis)")
            }
            let index = position - 1
            for (i, type) in inputs.types.enumerated().dropFirst() where type.kerasRank != rank {
                throw .message("joins tensors of one rank along axis \(axis), but gets \(inputs.types[0].kerasDescription) \(inputs.source(0)) and \(type.kerasDescription) \(inputs.source(i)); \(rankFix(type.kerasRank < rank ? inputs.types[0] : type))")
            }
            var shape = inputs.types[0].shape
            for (i, type) in inputs.types.enumerated().dropFirst() {
                for axisIndex in shape.indices where axisIndex != index {
                    if let a = shape[axisIndex], let b = type.shape[axisIndex], a != b {
                        throw .message("joins along axis \(axis), so every other axis must match, but gets \(inputs.types[0].kerasDescription) \(inputs.source(0)) and \(type.kerasDescription) \(inputs.source(i)): axis \(axisIndex + 1) is \(a) against \(b)")
                    }
                    if shape[axisIndex] == nil { shape[axisIndex] = type.shape[axisIndex] }
                }
                if let a = shape[index], let b = type.shape[index] {
                    shape[index] = try checkedSum(a, b)
                } else {
                    shape[index] = nil
                }
            }
            // Keras keeps None on the joined axis once any input has it there.
            if inputs.types.contains(where: { $0.shape[index] == nil }) { shape[index] = nil }
            return LayerTyping(output: TensorType(shape, mergedElement(inputs.types)))
        })

    /// Batched dot products of two tensors over one axis each (Keras's `batch_dot`).
    static let dot = LayerDescriptor(
        kind: .dot, className: "Dot",
        doc: "Dot products of two inputs over one axis each (axes counted with the batch axis as 0); with normalize, cosine similarities.",
        arguments: [
            ArgumentDecl("axes", .axisOrPair, default: nil,
                         "The axis multiplied out: one for both inputs, or a pair [axis of the first, axis of the second]."),
            ArgumentDecl("normalize", .bool, default: .bool(false), "L2-normalize both inputs along their axes first."),
        ],
        positional: ["axes"], traits: [.merge],
        examples: ["Dot 1 inputs=[a, b]", "Dot (2, 2) normalize inputs=[q, k]"],
        rule: ShapeRule(arity: .exactly(2)) { inputs throws(ShapeError) in
            let first = inputs.types[0], second = inputs.types[1]
            let axes = try dotAxes(inputs)
            let a = first.shape[axes.0 - 1], b = second.shape[axes.1 - 1]
            guard a == b else {
                throw .message("multiplies axis \(axes.0) of \(first.kerasDescription) \(inputs.source(0)) with axis \(axes.1) of \(second.kerasDescription) \(inputs.source(1)), but their sizes \(sizeText(a)) and \(sizeText(b)) differ; they must be equal")
            }
            var shape = first.shape
            shape.remove(at: axes.0 - 1)
            var rest = second.shape
            rest.remove(at: axes.1 - 1)
            shape += rest
            if shape.isEmpty { shape = [1] }
            var multiplyAdds: Int? = a
            for size in shape {
                guard let size, let total = multiplyAdds else { multiplyAdds = nil; break }
                multiplyAdds = try checkedProduct(total, size)
            }
            // Both inputs as matrices and their gradients, and an inverse norm per vector of each.
            var workspace: Workspace?
            if let x = first.valueCount, let y = second.valueCount, let size = a {
                workspace = .perSample(2 * (x + y) + (x + y) / Double(max(size, 1)))
            }
            return LayerTyping(output: TensorType(shape), multiplyAdds: multiplyAdds, workspace: workspace)
        })

    /// The descriptor of an elementwise merge: shapes broadcast as tf_keras's `_Merge` broadcasts
    /// them (trailing axes aligned, a size of 1 stretching, lower ranks expanded after the batch axis).
    private static func elementwise(_ kind: LayerKind, _ className: String, arity: Arity = .atLeast(1),
                                    doc: String) -> LayerDescriptor {
        LayerDescriptor(
            kind: kind, className: className, doc: doc, arguments: [], traits: [.merge],
            examples: ["\(className) inputs=[a, b]"],
            rule: ShapeRule(arity: arity) { inputs throws(ShapeError) in
                var shape = inputs.types[0].shape
                for (i, type) in inputs.types.enumerated().dropFirst() {
                    guard let merged = broadcast(shape, type.shape) else {
                        let described = TensorType(shape).kerasDescription
                        let source = i == 1 ? inputs.source(0) : "from the inputs before"
                        // Only the feature axis differs: a Dense projection makes them equal.
                        let onlyFeatures = type.shape.count == shape.count && type.shape.dropLast() == shape.dropLast()
                        let fix = onlyFeatures ? shape.last.flatMap { $0 }.map { "; project one with Dense \($0)" } ?? "" : ""
                        throw .message("needs inputs of equal shapes (or sizes of 1 that broadcast) but gets \(described) \(source) and \(type.kerasDescription) \(inputs.source(i))\(fix)")
                    }
                    shape = merged
                }
                return LayerTyping(output: TensorType(shape, mergedElement(inputs.types)))
            })
    }
}

/// The sample shape two elementwise inputs broadcast to, or nil when they cannot
/// (`_compute_elemwise_op_output_shape` without the batch axis).
public func broadcast(_ a: [Int?], _ b: [Int?]) -> [Int?]? {
    let (long, short) = a.count >= b.count ? (a, b) : (b, a)
    var shape = Array(long.prefix(long.count - short.count))
    for (i, j) in zip(long.suffix(short.count), short) {
        switch (i, j) {
        case (nil, _), (_, nil): shape.append(nil)
        case (1, _): shape.append(j)
        case (_, 1): shape.append(i)
        default:
            guard i == j else { return nil }
            shape.append(i)
        }
    }
    return shape
}

/// Token ids stay ids through a merge only when every input holds ids.
private func mergedElement(_ types: [TensorType]) -> TensorType.Element {
    types.allSatisfy { $0.element == .tokenIDs } ? .tokenIDs : .float
}

/// Keras's axis (batch = 0, negative from the end) as a position 1 … rank-1, or nil when outside
/// the non-batch axes.
public func kerasAxis(_ axis: Int, rank: Int) -> Int? {
    let position = axis < 0 ? axis + rank : axis
    return position >= 1 && position < rank ? position : nil
}

private func sizeText(_ size: Int?) -> String { size.map(String.init) ?? "None" }

/// How to bring a tensor of another rank to the rank of the rest.
private func rankFix(_ higher: TensorType) -> String {
    higher.kerasRank == 3 ? "flatten or pool the sequence first (Flatten, GlobalAveragePooling1D) or repeat the vector (RepeatVector)"
        : "reshape one of them (Reshape) so the ranks agree"
}

/// Dot's axes as positions (1 … rank-1) in the first and second input, as tf_keras's `Dot` resolves
/// them: one int for both (negative ones modulo each rank), or a pair.
private func dotAxes(_ inputs: LayerInputs) throws(ShapeError) -> (Int, Int) {
    let written = inputs.arguments.ints("axes").map { $0 ?? 0 }
    let pair = written.count == 2 ? (written[0], written[1]) : (written[0], written[0])
    var resolved: [Int] = []
    for (index, axis) in [pair.0, pair.1].enumerated() {
        let rank = inputs.types[index].kerasRank
        guard let position = kerasAxis(axis, rank: rank) else {
            let which = index == 0 ? "first" : "second"
            throw .argument("axes", "axes \(axis) is out of range for the \(which) input \(inputs.types[index].kerasDescription) \(inputs.source(index)): its axes are 1 … \(rank - 1) or -\(rank - 1) … -1 (0 is the batch axis)")
        }
        resolved.append(position)
    }
    return (resolved[0], resolved[1])
}
