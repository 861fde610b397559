import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Class labels written as text in a numeric CSV (iris's species): indices into `classes:` or the
/// sorted distinct training values, one-hot for a categorical loss, kept in classes.json, and named
/// by predict.
struct ClassLabelTests {
    static let csv = """
        sepal_length,sepal_width,petal_length,petal_width,species
        5.1,3.5,1.4,0.2,setosa
        7.0,3.2,4.7,1.4,versicolor
        6.3,3.3,6.0,2.5,virginica
        4.9,3.0,1.4,0.2,setosa

        """

    static func spec(loss: String, classes: String = "") -> String {
        """
        input: [4]
        layers: [Dense 3 softmax]
        compile: {optimizer: adam, loss: \(loss), metrics: [accuracy]}
        fit: {epochs: 1, batch_size: 2, seed: 1, verbose: 0}
        data:
          train: {csv: iris.csv, labels: species\(classes)}

        """
    }

    @Test func textLabelsBecomeSortedClassIndicesOrTheGivenOrder() throws {
        let folder = try TestSupport.temporaryDirectory("classes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.csv.write(toFile: folder + "/iris.csv", atomically: true, encoding: .utf8)
        let derived = try NumericCSV.read(folder + "/iris.csv", features: nil, labels: ["species"], classes: nil)
        #expect(derived.classes == ["setosa", "versicolor", "virginica"])
        #expect(derived.y.values == [0, 1, 2, 0] && derived.y.kind == .int64)
        #expect(derived.x.shape == [4, 4])
        let given = try NumericCSV.read(folder + "/iris.csv", features: nil, labels: ["species"], classes: ["virginica", "setosa", "versicolor"])
        #expect(given.y.values == [1, 2, 0, 1])
        #expect(throws: DataError.self) { try NumericCSV.read(folder + "/iris.csv", features: nil, labels: ["species"], classes: ["setosa", "virginica"]) }
        do {
            _ = try NumericCSV.read(folder + "/iris.csv", features: nil, labels: ["species"], classes: ["setosa", "virginica"])
        } catch {
            #expect(error.description.contains("line 3 (data row 2), column 'species' holds \"versicolor\", which is not one of the classes (setosa, virginica)"))
        }
        // A numeric label column stays numbers.
        let numeric = try NumericCSV.read(folder + "/iris.csv", features: ["sepal_length"], labels: ["petal_width"], classes: nil)
        #expect(numeric.classes == nil && numeric.y.values == [0.2, 1.4, 2.5, 0.2])
    }

    @Test func trainingOneHotsForCategoricalAndKeepsTheClasses() throws {
        let folder = try TestSupport.temporaryDirectory("classes-run")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.csv.write(toFile: folder + "/iris.csv", atomically: true, encoding: .utf8)
        for loss in ["categorical_crossentropy", "sparse_categorical_crossentropy"] {
            let trained = try RunSupport.train(Self.spec(loss: loss), in: folder, options: TrainOptions(runDirectory: folder + "/" + loss))
            #expect(trained.code == 0, "\(loss): \(trained.error)")
            #expect(TestSupport.read(folder + "/\(loss)/classes.json") == "[\n  \"setosa\",\n  \"versicolor\",\n  \"virginica\"\n]\n")
        }
        // predict names the classes from classes.json beside the weights.
        try AtomicFile.write(NumpyArray(shape: [1, 4], values: [5.1, 3.5, 1.4, 0.2]).encoded(), to: folder + "/x.npy")
        let (output, read) = RunSupport.capture()
        #expect(PredictCommand.run(spec: folder + "/spec.yaml", weights: folder + "/sparse_categorical_crossentropy/weights.safetensors",
                                   inputs: NamedFiles([folder + "/x.npy"]), outputPath: nil, threads: 1, output: output) == 0)
        #expect(read().out.hasPrefix("setosa"), "\(read().out)")
        #expect(read().out.contains("versicolor") && read().out.contains("predicted"))
        // More classes than units is refused before training.
        let wide = try RunSupport.train(Self.spec(loss: "categorical_crossentropy").replacingOccurrences(of: "Dense 3 softmax", with: "Dense 2 softmax"),
                                        in: folder, options: TrainOptions(runDirectory: folder + "/wide"))
        #expect(wide.code == 1)
        #expect(wide.error.contains("has 3 classes (setosa, versicolor, virginica) but dense has 2 units"), "\(wide.error)")
    }

    @Test func theCheckerAcceptsClassesForOneCSVLabelColumn() {
        #expect(TestSupport.errors(Self.spec(loss: "categorical_crossentropy", classes: ", classes: [setosa, versicolor, virginica]")).isEmpty)
        let two = TestSupport.errors(Self.spec(loss: "mse", classes: ", classes: [a, b]").replacingOccurrences(of: "labels: species", with: "labels: [species, petal_width]"))
        #expect(two.contains { $0.contains("classes name the texts of one label column, but labels lists 2") })
        let model = TestSupport.model(Self.spec(loss: "categorical_crossentropy", classes: ", classes: [c, b, a]"))
        #expect(model.map(Predictions.classNames) == ["c", "b", "a"])
    }
}
