/// Where each name of a functional spec is defined: the inputs, and the layer entries in order.
/// Built once per spec, so resolving `inputs:` and `outputs:` names costs a lookup each, where
/// searching the entries for every name made a 10,000-layer graph quadratic.
struct GraphNames {
    /// The first input with each name.
    private var inputs: [String: Int] = [:]
    /// The indices of the (resolved) entries with each name, ascending.
    private var layers: [String: [Int]] = [:]
    /// Every name an entry may read, in definition order: inputs, then layers.
    private(set) var inputNames: [String] = []
    private(set) var layerNames: [(index: Int, name: String)] = []
    /// Unknown names explained with a did-you-mean or the list of readable names: both cost time in
    /// proportion to the model.
    private var explanations = ExplanationBudget()

    init(inputs declared: [InputDeclaration], entries: [ResolvedLayer?]) {
        for (index, input) in declared.enumerated() where inputs[input.name.value] == nil {
            inputs[input.name.value] = index
        }
        inputNames = declared.map(\.name.value)
        for (index, entry) in entries.enumerated() {
            guard let entry else { continue }
            layers[entry.name, default: []].append(index)
            layerNames.append((index, entry.name))
        }
    }

    func input(named name: String) -> Int? { inputs[name] }

    /// The last entry named `name` before entry `index`.
    func layer(named name: String, before index: Int) -> Int? {
        guard let positions = layers[name] else { return nil }
        let count = Self.countBelow(index, in: positions)
        return count > 0 ? positions[count - 1] : nil
    }

    /// The first entry named `name` after entry `index`.
    func layer(named name: String, after index: Int) -> Int? {
        guard let positions = layers[name] else { return nil }
        let count = Self.countBelow(index + 1, in: positions)
        return count < positions.count ? positions[count] : nil
    }

    /// The last entry named `name`.
    func lastLayer(named name: String) -> Int? { layers[name]?.last }

    /// The names entry `index` may read: the inputs and the layers before it.
    func readable(before index: Int) -> [String] {
        inputNames + layerNames.prefix(Self.countBelow(index, in: layerNames.map(\.index))).map(\.name)
    }

    /// Whether to explain one more unknown name (see `ExplanationBudget`).
    mutating func explain() -> Bool { explanations.spend() }

    /// How many of the ascending `positions` are below `bound` (binary search).
    private static func countBelow(_ bound: Int, in positions: [Int]) -> Int {
        var low = 0, high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
