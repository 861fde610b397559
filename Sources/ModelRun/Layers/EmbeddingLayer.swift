import ModelC

/// Looks up one vector per token id. x: [B, L] ids (stored as floats); y: [B, L, D];
/// embeddings: [input_dim, D]. Ids are checked against input_dim before training starts.
final class EmbeddingLayer: LayerBase, SingleInputLayer {
    let embeddings: Parameter
    let dimension: Int
    let vocabulary: Int
    /// Recurrent layers reading this layer's token ids through their own tables, which then do
    /// its lookup and gradient (see `RecurrentTokenProjection`).
    var projectingLayers: [RecurrentLayer] = []

    init(_ blueprint: LayerBlueprint) {
        embeddings = blueprint.parameter("embeddings")
        dimension = embeddings.shape[1]
        vocabulary = embeddings.shape[0]
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [embeddings] }

    @inline(__always) func tokenID(_ value: Float) -> Int {
        // Out-of-range ids never reach here from checked data; clamp defensively instead of trapping.
        min(max(Int(value), 0), vocabulary - 1)
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        if isProjected(pass) { return }
        pass.forEachChunk { samples, _ in
            for position in (samples.lowerBound * inputSize)..<(samples.upperBound * inputSize) {
                // y[position, :] = embeddings[x[position], :]
                output.at(position * dimension).update(from: embeddings.value.at(tokenID(input[position]) * dimension), count: dimension)
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        guard embeddings.trainable, !isProjected(pass) else { return }
        pass.forEachChunk { samples, chunk in
            let gradient = embeddings.gradient(chunk: chunk)
            for position in (samples.lowerBound * inputSize)..<(samples.upperBound * inputSize) {
                // dembeddings[x[position], :] += dy[position, :]
                let row = gradient.at(tokenID(input[position]) * dimension)
                let dy = outputGradient.at(position * dimension)
                for j in 0..<dimension { row[j] += dy[j] }
            }
        }
        // Ids have no gradient; inputGradient is left as it is.
    }
}
