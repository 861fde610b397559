import ModelC

/// An optimizer's state as Keras 3 stores it in `optimizer/vars` of `model.weights.h5`, so that a
/// model saved by modelc mid-training continues in Keras where it stopped: `0` the iteration count
/// (int64), `1` the learning rate (float32), then the slots in the order the optimizer's `build`
/// creates them. `add_optimizer_variables(vars, [a, b])` interleaves (a, b per variable), one name
/// gives one slot per variable: Adam `m, v` interleaved then every `v̂` with amsgrad; RMSprop every
/// velocity, then every momentum (momentum > 0), then every average gradient (centered); SGD one
/// momentum per variable only when momentum ≠ 0; Adagrad one accumulator; Nadam `m, v` interleaved
/// then its momentum product.
extension Optimizer {
    /// Slot indices per `add_optimizer_variables` call, in order.
    var keras3SlotGroups: [[Int]] {
        switch rule {
        case let sgd as SGDRule: return sgd.momentum == 0 ? [] : [[0]]
        case is RMSpropRule: return rule.slots.indices.map { [$0] }
        case is AdamRule: return [[0, 1]] + (rule.slots.count > 2 ? [[2]] : [])
        case is NadamRule: return [[0, 1]]
        default: return [Array(rule.slots.indices)]
        }
    }

    /// `optimizer/vars/<i>` in Keras 3's order.
    public func keras3Variables() -> [HDF5Dataset] {
        var datasets = [
            HDF5Dataset(shape: [], values: .int64([Int64(iterations)])),
            HDF5Dataset(shape: [], values: .float32([Float(learningRate)])),
        ]
        for group in keras3SlotGroups {
            for (index, variable) in variables.enumerated() {
                for slot in group {
                    datasets.append(HDF5Dataset(shape: variable.shape, values: .float32(slotBuffers[index][slot].array)))
                }
            }
        }
        if let nadam = rule as? NadamRule { datasets.append(HDF5Dataset(shape: [], values: .float32(nadam.product.array))) }
        return datasets
    }
}
