import ModelC

extension Trainer {
    /// The trainer's part of a resume state: every weight ("weights/<name>"), every optimizer slot
    /// ("optimizer/<slot>"), and the weights before the last update ("last_good/<name>"), with
    /// their shapes.
    func resumeTensors() -> (values: [String: [Float]], shapes: [String: [Int]]) {
        var values: [String: [Float]] = [:], shapes: [String: [Int]] = [:]
        for parameter in network.parameters {
            values["weights/" + parameter.name] = parameter.value.array
            shapes["weights/" + parameter.name] = parameter.shape
        }
        for (name, buffer) in optimizer.slots { values["optimizer/" + name] = buffer.array }
        for (parameter, buffer) in zip(network.parameters, lastGoodWeights) {
            values["last_good/" + parameter.name] = buffer.array
            shapes["last_good/" + parameter.name] = parameter.shape
        }
        return (values, shapes)
    }

    /// A resume state of this run at an epoch's end.
    func resumeState(_ progress: FitProgress, identity: ResumeState) -> (state: ResumeState, shapes: [String: [Int]]) {
        let (values, shapes) = resumeTensors()
        var state = identity
        state.completedEpochs = progress.completedEpochs
        state.finished = progress.finished
        state.iterations = optimizer.iterations
        state.learningRate = Float(learningRate)
        state.history = progress.history
        state.callbacks = progress.callbacks
        state.tensors = values
        return (state, shapes)
    }

    /// Puts weights, optimizer slots, iterations, learning rate and the last-good weights back as
    /// the state recorded them; every tensor must be there with this model's size.
    func restore(_ state: ResumeState, file: String) throws(DataError) {
        func values(_ name: String, count: Int) throws(DataError) -> [Float] {
            guard let values = state.tensors[name] else {
                throw DataError("\(file) lacks \(name); it was written for another model")
            }
            guard values.count == count else {
                throw DataError("\(file): \(name) has \(values.count) values but this model needs \(count)")
            }
            return values
        }
        for parameter in network.parameters {
            parameter.value.copy(from: Buffer(try values("weights/" + parameter.name, count: parameter.count)))
        }
        for (name, buffer) in optimizer.slots {
            buffer.copy(from: Buffer(try values("optimizer/" + name, count: buffer.count)))
        }
        if state.tensors.keys.contains(where: { $0.hasPrefix("last_good/") }) {
            snapshot(into: &lastGoodWeights)
            for (parameter, buffer) in zip(network.parameters, lastGoodWeights) {
                buffer.copy(from: Buffer(try values("last_good/" + parameter.name, count: parameter.count)))
            }
        }
        optimizer.iterations = state.iterations
        learningRate = Double(state.learningRate)
    }
}
