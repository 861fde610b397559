import Foundation
import ModelC

/// `modelc import model.keras|model.h5 --output spec.yaml --weights-output w.safetensors`: a Keras
/// file read as data into a spec and its weights. Nothing in the file is executed; what modelc
/// cannot represent is listed, every item at once, and then nothing is written.
public enum ImportCommand {
    public static func run(model path: String, specPath: String, weightsPath: String, output: CommandOutput) -> Int32 {
        do throws(DataError) {
            guard URL(fileURLWithPath: specPath).standardized.path != URL(fileURLWithPath: weightsPath).standardized.path else {
                throw DataError("--output and --weights-output name the same file; give the spec and the weights their own paths")
            }
            let file = try KerasFile.read(path)
            let shown = DataFile.shown(path)
            if file.weightsOnly {
                throw DataError("\(shown) holds weights only, without the model's config; import the file model.save() wrote (model.keras or model.h5), or use this one as --weights of a spec")
            }
            let result = KerasImporter.spec(config: file.config, training: file.trainingConfig, flavor: file.format.flavor,
                                            source: URL(fileURLWithPath: path).lastPathComponent, kerasVersion: file.kerasVersion)
            guard let spec = result.spec else {
                for problem in result.problems { output.error("error: \(shown): \(problem)\n") }
                output.error("error: \(shown) was not imported (\(result.problems.count) problem\(result.problems.count == 1 ? "" : "s")); nothing was written\n")
                return 1
            }
            guard let model = SpecChecker.check(SourceFile(path: specPath, text: spec)).model else {
                throw DataError("the spec imported from \(shown) does not check; this is a modelc bug, please report it")
            }
            let tensors = try file.tensors(for: model)
            let ordered = KerasWeightLayout(model).weights.map { ($0.name, tensors[$0.name]!) }
            try AtomicFile.write(SafeTensors.encode(ordered, metadata: ["producer": "modelc", "model": model.name]), to: weightsPath)
            try AtomicFile.write(spec, to: specPath)
            for note in result.notes { output.out("note: dropped \(note)\n") }
            output.out("wrote \(specPath) (\(model.layers.count) layers, \(model.parameterCount) parameters) and \(weightsPath) from \(shown)\n")
            return 0
        } catch {
            output.error("error: \(error.description)\n")
            return 1
        }
    }
}
