/// How Keras sees a model's graph (tf_keras `functional._map_graph_network` and `print_summary`):
/// the order of `model.layers` and whether the summary is "sequential-like".
///
/// Keras walks the graph depth-first from the outputs (in output order, each layer's inputs in
/// call order), numbering layers as it first reaches them, and gives each node a depth: 0 for a node
/// nothing in the model reads, else one more than the deepest node reading it. `model.layers` lists
/// the layers by decreasing depth, equal depths in walk order; input layers are layers like the
/// rest, and an input no output depends on gets depth 0 and sorts first there. Keras never looks at
/// the order the layers were created in, so the spec's order plays no part.
public struct KerasGraph: Sendable {
    /// `model.layers`: inputs and layers in Keras's order.
    public let order: [TensorSource]
    /// The depth of every node of the model.
    public let depths: [TensorSource: Int]
    /// True when every depth holds one node reading at most one tensor: Keras then prints the
    /// 65-column table without `Connected to`.
    public let isSequentialLike: Bool

    public init(_ model: TypedModel) {
        func parents(_ node: TensorSource) -> [TensorSource] {
            if case .layer(let index) = node { return model.layers[index].sources }
            return []
        }
        // _build_map: a post-order of the walk (inputs before what reads them) and the walk's
        // first-reach numbering.
        // An explicit stack: a chain of 100,000 layers would overflow the call stack.
        var finished: Set<TensorSource> = []
        var postOrder: [TensorSource] = []
        var walkIndex: [TensorSource: Int] = [:]
        var path: [(node: TensorSource, nextParent: Int)] = []
        func reach(_ node: TensorSource) {
            if walkIndex[node] == nil { walkIndex[node] = walkIndex.count }
            path.append((node, 0))
        }
        for output in model.outputs where !finished.contains(.layer(output)) {
            reach(.layer(output))
            while let top = path.last {
                let node = top.node, next = top.nextParent
                let nodeParents = parents(node)
                if next < nodeParents.count {
                    path[path.count - 1].nextParent += 1
                    if !finished.contains(nodeParents[next]) { reach(nodeParents[next]) }
                } else {
                    path.removeLast()
                    finished.insert(node)
                    postOrder.append(node)
                }
            }
        }

        // Depths, outputs first: each node is final before its parents are raised past it.
        var depths: [TensorSource: Int] = [:]
        var insertion: [TensorSource] = []
        for node in postOrder.reversed() {
            let depth = depths[node] ?? 0
            if depths[node] == nil { insertion.append(node) }
            depths[node] = depth
            for parent in parents(node) {
                if depths[parent] == nil { insertion.append(parent) }
                depths[parent] = max(depth + 1, depths[parent] ?? 0)
            }
        }
        for index in model.inputs.indices where depths[.input(index)] == nil {
            depths[.input(index)] = 0
            walkIndex[.input(index)] = -1
            insertion.append(.input(index))
        }
        // By decreasing depth; equal depths by walk index (a stable sort, as Python's).
        let ranked = insertion.enumerated().sorted { a, b in
            let (da, db) = (depths[a.element]!, depths[b.element]!)
            if da != db { return da > db }
            let (ia, ib) = (walkIndex[a.element]!, walkIndex[b.element]!)
            return ia != ib ? ia < ib : a.offset < b.offset
        }
        order = ranked.map(\.element)
        self.depths = depths

        var sequentialLike = true
        var perDepth: [Int: Int] = [:]
        for (node, depth) in depths {
            perDepth[depth, default: 0] += 1
            if parents(node).count > 1 { sequentialLike = false }
        }
        if perDepth.values.contains(where: { $0 > 1 }) { sequentialLike = false }
        isSequentialLike = sequentialLike
    }

    /// The layers (not inputs) in Keras's order.
    public var layerOrder: [Int] {
        order.compactMap { if case .layer(let index) = $0 { return index }; return nil }
    }
}

extension TypedModel {
    /// The layers in the order Keras's summary lists them: the spec's order for a Sequential model,
    /// `model.layers` without the input layers for a functional one.
    public var summaryOrder: [Int] {
        isFunctional ? KerasGraph(self).layerOrder : Array(layers.indices)
    }
}
