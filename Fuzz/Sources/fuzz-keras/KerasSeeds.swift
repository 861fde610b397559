import ModelC
import ModelRun

/// Keras files modelc writes itself: a Sequential and a functional model, each as `.keras` and `.h5`
/// (fuzz.sh adds the files Keras 3 and tf_keras wrote, from Tests/Fixtures/keras).
let kerasSeeds: [(name: String, bytes: [UInt8])] = {
    let specs = [
        ("sequential", "input: [5]\nlayers: [Embedding 20x4, LSTM 3, Dense 1 sigmoid]\ncompile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}\n"),
        ("functional", "inputs: {a: [4], b: [2, 3]}\nlayers:\n  - Dense 3 inputs=a\n  - Flatten inputs=b\n  - Concatenate inputs=[dense, flatten]\n  - Dense 1 name=out\noutputs: out\ncompile: {optimizer: sgd, loss: mse}\n"),
    ]
    var seeds: [(name: String, bytes: [UInt8])] = []
    for (name, text) in specs {
        guard let model = SpecChecker.check(SourceFile(path: name, text: text)).model,
              let network = try? Network(model: model) else { continue }
        Initializers.initialize(network, seed: 1)
        let tensors = Dictionary(uniqueKeysWithValues: WeightsFile.tensors(of: network).map { ($0.name, $0.tensor) })
        for format in [KerasFileFormat.keras, .h5] {
            if let bytes = try? KerasWriter.encode(model, tensors: tensors, format: format) {
                seeds.append(("\(name).\(format.rawValue)", bytes))
            }
        }
    }
    return seeds
}()
