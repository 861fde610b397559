/// Which rows hold out for validation: Keras's `validation_split` (the last rows, in file order), or,
/// with a seed, a shuffled split like scikit-learn's `train_test_split` — per label when stratified,
/// so each class keeps its share. Either way `rows - Int(rows · (1 - fraction))` rows validate.
public enum ValidationSplit {
    /// Row indices of the training and validation parts. `labels` holds `labelWidth` values per row
    /// (one-hot rows are grouped by their largest entry).
    public static func indices(rows: Int, fraction: Double, seed: Int?, stratify: Bool = false,
                               labels: [Float]? = nil, labelWidth: Int = 1) -> (train: [Int], validation: [Int]) {
        let cut = Int(Double(rows) * (1 - fraction))
        guard let seed else { return (Array(0..<cut), Array(cut..<rows)) }
        var random = RandomSource(seed: UInt64(seed), path: [0x5B117])
        var order = Array(0..<rows)
        order.shuffle(using: &random)
        guard stratify, let labels else { return (Array(order[..<cut]), Array(order[cut...])) }

        // Group rows by label in shuffled order, then take each group's share of the validation rows,
        // handing out the remainder by largest fractional share (ties to the smaller label).
        var groups: [Int: [Int]] = [:]
        for row in order { groups[classOf(row, labels, labelWidth), default: []].append(row) }
        let keys = groups.keys.sorted()
        let total = rows - cut
        var shares = keys.map { key in (key: key, exact: Double(groups[key]!.count) * Double(total) / Double(rows)) }
        var quotas = Dictionary(uniqueKeysWithValues: shares.map { ($0.key, Int($0.exact)) })
        var missing = total - quotas.values.reduce(0, +)
        shares.sort { ($0.exact - Double(Int($0.exact)), -$0.key) > ($1.exact - Double(Int($1.exact)), -$1.key) }
        for share in shares where missing > 0 {
            quotas[share.key]! += 1
            missing -= 1
        }
        var held: Set<Int> = []
        for key in keys { held.formUnion(groups[key]!.prefix(quotas[key]!)) }
        return (order.filter { !held.contains($0) }, order.filter { held.contains($0) })
    }

    static func classOf(_ row: Int, _ labels: [Float], _ width: Int) -> Int {
        guard width > 1 else { return Int(labels[row].rounded()) }
        var best = 0
        for index in 1..<width where labels[row * width + index] > labels[row * width + best] { best = index }
        return best
    }
}

extension Dataset {
    /// The rows `indices` of every input and target, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        func take(_ values: [Float], _ size: Int) -> [Float] {
            var result = [Float]()
            result.reserveCapacity(indices.count * size)
            for index in indices { result.append(contentsOf: values[(index * size)..<((index + 1) * size)]) }
            return result
        }
        let inputSizes = self.inputSizes, targetSizes = self.targetSizes
        var part = Dataset(inputs: inputs.indices.map { take(inputs[$0], inputSizes[$0]) }, inputShapes: inputShapes,
                           targets: targets.indices.map { index in targets[index].map { take($0, targetSizes[index]) } },
                           targetShapes: targetShapes, rows: indices.count)
        part.weights = weights.map { take($0, 1) }
        return part
    }
}
