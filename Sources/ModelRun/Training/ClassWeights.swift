/// Keras's `class_weight` (tf_keras `data_adapter._make_class_weight_map_fn`): each training
/// sample's weight is the weight of its class, times its sample_weight when it has one. The class
/// of a sample is its label rounded to an integer for one value per sample, else the argmax of its
/// label row (the first largest, as tf.argmax).
enum ClassWeights {
    static func apply(_ weights: [Double], to data: inout Dataset, source: String) throws(DataError) {
        guard let labels = data.targets.first ?? nil else { return }
        let width = max(data.targetSizes.first ?? 1, 1)
        var combined = data.weights ?? Array(repeating: 1, count: data.rows)
        for row in 0..<data.rows {
            let id: Int
            if width == 1 {
                let value = labels[row].rounded(.toNearestOrEven)
                id = value.isFinite && abs(value) < 1e9 ? Int(value) : -1
            } else {
                id = ValidationSplit.classOf(row, labels, width)
            }
            guard id >= 0, id < weights.count else {
                throw DataError("class_weight gives weights for classes 0 to \(weights.count - 1), but the training labels (\(source)) put sample \(row) in class \(id); give a weight for every class")
            }
            combined[row] *= Float(weights[id])
        }
        data.weights = combined
    }
}
