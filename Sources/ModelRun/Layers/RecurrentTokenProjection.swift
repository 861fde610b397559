import ModelC

/// Embedding followed directly by a recurrent layer, run as one table lookup.
///
/// The recurrent layer's input projection of timestep t is e[v]·W + b for the token v there, so with
/// P = E·W + b ([V, g·u], computed once per batch) it is row v of P: a copy of g·u floats instead of
/// an F·g·u product per timestep, and the Embedding's own lookup is never needed. Backwards, the
/// projection's gradients sum over positions holding the same token: with G[v] = Σ dZ[b, t] over
/// those positions ([V, g·u], summed per chunk, then over chunks), dW = Eᵀ·G and dE = G·Wᵀ once
/// per batch, replacing the [B·T, F]·[F, g·u]-sized
/// products for dW and dx and the Embedding's scatter. Same sums as the direct path, in another
/// order (float rounding only).
///
/// It pays while the table is smaller than the work it saves: V at most a batch chunk's rows × T
/// (checked per pass; otherwise both layers run as usual), and never with input dropout in training
/// (each sample sees its own masked x̃).
enum RecurrentTokenProjection {
    /// Points each Embedding at the recurrent layer (one, or Bidirectional's two) it feeds when that
    /// layer is the only reader of its output and the output is not a model output.
    static func link(_ network: Network) {
        for (index, layer) in network.layers.enumerated() {
            guard let embedding = layer as? EmbeddingLayer, embedding.inputShape.count == 1,
                  network.consumers[index].count == 1, !network.outputs.contains(index) else { continue }
            let next = network.layers[network.consumers[index][0]]
            let consumers: [RecurrentLayer]
            if let recurrent = next as? RecurrentLayer {
                consumers = [recurrent]
            } else if let bidirectional = next as? BidirectionalLayer {
                consumers = [bidirectional.forwardLayer, bidirectional.backwardLayer]
            } else {
                continue
            }
            embedding.projectingLayers = consumers
            for consumer in consumers { consumer.tokenEmbedding = embedding }
        }
    }
}

extension EmbeddingLayer {
    /// Whether this pass's lookup and gradient are left to the recurrent layers reading the tokens.
    func isProjected(_ pass: Pass) -> Bool {
        !projectingLayers.isEmpty && projectingLayers.allSatisfy { $0.readsTokens(pass) }
    }
}

extension RecurrentLayer {
    /// Whether the table path can run this pass (see `RecurrentTokenProjection`).
    func readsTokens(_ pass: Pass) -> Bool {
        guard let embedding = tokenEmbedding, tokenTable.count > 0, !(pass.training && dropout.input != .none) else { return false }
        let smallestChunk = pass.chunks.ranges.reduce(Int.max) { Swift.min($0, $1.count) }
        return embedding.vocabulary <= smallestChunk * timesteps
    }

    /// Whether a table could ever pay for batches of up to `capacity` samples (else none is allocated).
    func tokenTableFits(capacity: Int) -> Bool {
        guard let embedding = tokenEmbedding else { return false }
        return embedding.vocabulary <= max(1, capacity / BatchChunks.maximumCount) * timesteps
    }

    /// The vocabulary split into `chunks` contiguous parts, one list per chunk count (built once, in
    /// `reserveWorkspaces`): the parallel regions over the tables use part p for chunk p.
    static func vocabularyParts(_ vocabulary: Int) -> [BatchChunks] {
        (1...BatchChunks.maximumCount).map { chunks in
            BatchChunks(ranges: (0..<chunks).map { ($0 * vocabulary / chunks)..<(($0 + 1) * vocabulary / chunks) })
        }
    }

    /// P = E·W + b_in: [V, g·u], rows split over the executor.
    func fillTokenTable(_ embedding: EmbeddingLayer, _ pass: Pass) {
        let table = tokenTable, width = gateWidth, dimension = features
        let inputBias = bias.map { UnsafePointer($0.value.base) }
        pass.executor.forEachChunk(tokenParts[pass.chunks.count - 1]) { tokens, _ in
            guard !tokens.isEmpty else { return }
            let p = table.at(tokens.lowerBound * width)
            MatrixMultiply.gemm(m: tokens.count, n: width, k: dimension, a: embedding.embeddings.value.at(tokens.lowerBound * dimension),
                                lda: dimension, b: kernel.value.base, ldb: width, c: p, ldc: width)
            if let inputBias {
                for row in 0..<tokens.count {
                    let pr = p + row * width
                    for j in 0..<width { pr[j] += inputBias[j] }
                }
            }
        }
    }

    /// Z[b, t, :] = P[x[b, t], :] for the chunk's samples.
    func gatherTokenProjections(_ embedding: EmbeddingLayer, _ samples: Range<Int>) {
        let ids = embedding.input, width = gateWidth
        for position in (samples.lowerBound * timesteps)..<(samples.upperBound * timesteps) {
            Lanes.copy(from: tokenTable.at(embedding.tokenID(ids[position]) * width), to: preactivations.at(position * width), count: width)
        }
    }

    /// G_chunk[v] = Σ dZ[b, t] over the chunk's positions holding token v: [V, g·u].
    func scatterTokenGradients(_ embedding: EmbeddingLayer, _ samples: Range<Int>, chunk: Int) {
        guard kernel.trainable || embedding.embeddings.trainable else { return }
        let width = gateWidth, vocabulary = embedding.vocabulary, ids = embedding.input
        let g = tokenGradientTables.at(chunk * vocabulary * width)
        g.update(repeating: 0, count: vocabulary * width)
        for position in (samples.lowerBound * timesteps)..<(samples.upperBound * timesteps) {
            let row = g + embedding.tokenID(ids[position]) * width
            let dz = preactivationGradients.at(position * width)
            for j in 0..<width { row[j] += dz[j] }
        }
    }

    /// G = Σ G_chunk in chunk order, then dW += Eᵀ·G and dE += G·Wᵀ: one product over the
    /// vocabulary per batch rather than one per chunk. Part p of the vocabulary (split by the
    /// pass's chunk count, never by threads) adds into chunk p's gradients, so the sums keep a
    /// fixed order.
    func applyTokenGradients(_ embedding: EmbeddingLayer, _ pass: Pass) {
        let embeddings = embedding.embeddings
        guard kernel.trainable || embeddings.trainable else { return }
        let width = gateWidth, vocabulary = embedding.vocabulary, chunks = pass.chunks.count
        pass.executor.forEachChunk(tokenParts[chunks - 1]) { tokens, part in
            guard !tokens.isEmpty else { return }
            let g = tokenGradientTables.at(tokens.lowerBound * width), count = tokens.count * width
            for chunk in 1..<chunks {
                let other = tokenGradientTables.at((chunk * vocabulary + tokens.lowerBound) * width)
                for index in 0..<count { g[index] += other[index] }
            }
            if kernel.trainable {
                MatrixMultiply.gemm(transposeA: true, m: features, n: width, k: tokens.count,
                                    a: embeddings.value.at(tokens.lowerBound * features), lda: features,
                                    b: g, ldb: width, beta: 1, c: kernel.gradient(chunk: part).base, ldc: width)
            }
            if embeddings.trainable {
                MatrixMultiply.gemm(transposeB: true, m: tokens.count, n: features, k: width, a: g, lda: width,
                                    b: kernel.value.base, ldb: width, beta: 1,
                                    c: embeddings.gradient(chunk: part).at(tokens.lowerBound * features), ldc: features)
            }
        }
    }
}
