import Testing
@testable import ModelC

/// `data:` — splits, array sources and the checks made on inline arrays.
@Suite struct DataSectionTests {
    static let model = "input: [3, 1]\nlayers:\n  - LSTM 4\n  - Dense 1\ncompile: {optimizer: adam, loss: mse}\n"

    static func data(_ yaml: String, model: String = model) throws -> DataConfig {
        let result = TestSupport.check(model + "data:\n" + yaml)
        return try #require(result.model?.data, "\(result.diagnostics.map(\.message))")
    }

    static func errors(_ yaml: String, model: String = model) -> [String] {
        TestSupport.errors(model + "data:\n" + yaml)
    }

    @Test func everySourceForm() throws {
        let config = try Self.data("""
              train: {x: x_train.npy, y: {file: data.npz, key: y_train}}
              validation: {csv: val.csv, features: [a, b, c], labels: target}
              test: {x: {values: [1, 2, 3, 4, 5, 6], shape: [2, 3, 1]}, y: [[1.5], [2]]}
            """)
        guard case .arrays(.npy("x_train.npy"), .npz("data.npz", "y_train")?)? = config.train else { Issue.record("train: \(String(describing: config.train))"); return }
        guard case .csv("val.csv", ["a", "b", "c"]?, ["target"], nil)? = config.validation else { Issue.record("validation"); return }
        guard case .arrays(.inline(let values, let shape, let integers), .inline(let yValues, let yShape, let yIntegers)?)? = config.test else {
            Issue.record("test"); return
        }
        #expect(values == [1, 2, 3, 4, 5, 6] && shape == [2, 3, 1] && integers)
        #expect(yValues == [1.5, 2] && yShape == [2, 1] && !yIntegers)
        #expect(config.train?.hasLabels == true)
    }

    @Test func nestedListsGiveTheirShape() throws {
        let config = try Self.data("  train: {x: [[[1], [2], [3]], [[4], [5], [6]]], y: [1, 2]}\n")
        guard case .arrays(.inline(_, let shape, _), _)? = config.train else { Issue.record("train"); return }
        #expect(shape == [2, 3, 1])
    }

    @Test func csvTakesEveryOtherColumnWhenFeaturesAreOmitted() throws {
        let config = try Self.data("  train: {csv: train.csv, labels: [price, volume]}\n")
        guard case .csv("train.csv", nil, ["price", "volume"], nil)? = config.train else { Issue.record("train"); return }
    }

    @Test func sourceErrors() {
        #expect(Self.errors("  training: {x: x.npy}\n") == ["`data` has no split 'training'; its splits are train, validation and test (and its text settings `text`); did you mean 'train'?"])
        #expect(Self.errors("  train: x.npy\n") == ["data train is a mapping such as `{x: x_train.npy, y: y_train.npy}`"])
        #expect(Self.errors("  train: {y: y.npy}\n") == ["data train needs x (features) and usually y (labels), e.g. `{x: x_train.npy, y: y_train.npy}`"])
        #expect(Self.errors("  train: {x: data.npz}\n") == ["data train x: name the array inside data.npz, e.g. `{file: data.npz, key: x_train}`"])
        #expect(Self.errors("  train: {x: x.csv}\n") == ["data train x reads numpy files (.npy, or .npz with a key); for a CSV file use `csv:` on the split"])
        #expect(Self.errors("  train: {x: {file: x.npy, key: a}}\n") == ["data train x: only .npz archives have keys"])
        #expect(Self.errors("  train: {x: {file: d.npz}}\n") == ["data train x: name the array inside d.npz with `key:`"])
        #expect(Self.errors("  train: {x: {path: x.npy}}\n") == ["data train x is a path, `{file: ..., key: ...}`, a nested list of numbers, or `{values: [...], shape: [...]}`"])
        #expect(Self.errors("  train: {csv: t.csv, x: x.npy}\n") == ["data train reads either a CSV file (csv) or arrays (x, y), not both"])
        #expect(Self.errors("  train: {csv: t.csv}\n") == ["data train needs labels: the CSV column (or columns) of y, e.g. `labels: price`"])
        #expect(Self.errors("  train: {csv: t.csv, features: [a, b], labels: b}\n") == ["column 'b' is both a feature and a label"])
        #expect(Self.errors("  train: {x: x.npy, labels: y}\n") == ["data train labels names CSV columns; add `csv: file.csv` or remove it"])
        #expect(Self.errors("  train: {x: x.npy, z: 1}\n") == ["data train has no argument 'z'; did you mean 'x'?"])
    }

    @Test func inlineArraysAreChecked() {
        #expect(Self.errors("  train: {x: [[[1], [2], [3]], [[4], [5]]], y: [1, 2]}\n")
                == ["data train x is not rectangular: this list has 2 items where the first has 3"])
        #expect(Self.errors("  train: {x: [[[1], [2], [three]]], y: [1]}\n") == ["data train x holds 'three'; data must be numbers"])
        #expect(Self.errors("  train: {x: [[[1], [2], [.nan]]], y: [1]}\n") == ["data train x holds .nan; data must be finite numbers"])
        #expect(Self.errors("  train: {x: [], y: [1]}\n") == ["data train x has no samples"])
        #expect(Self.errors("  train: {x: {values: [1, 2, 3], shape: [2, 3, 1]}, y: [1, 2]}\n")
                == ["data train x has 3 values but its shape [2, 3, 1] holds 6"])
        #expect(Self.errors("  train: {x: [[1, 2, 3], [2, 3, 4]], y: [1, 2]}\n")
                == ["data train x holds samples shaped (3,) but the model's input is (3, 1); give the shape explicitly: `{values: [...], shape: [2, 3, 1]}`"])
        #expect(Self.errors("  train: {x: {values: [1, 2, 3, 4, 5, 6], shape: [2, 3, 1]}, y: [1, 2, 3]}\n")
                == ["data train has 2 samples in x but 3 in y"])
        let embedding = "input: [3]\nlayers:\n  - Embedding 10x2\n  - Flatten\n  - Dense 1\n"
        #expect(Self.errors("  train: {x: [[1, 2, 3.5]], y: [1]}\n", model: embedding)
                == ["data train x feeds an Embedding, which needs integer token ids, but holds fractions"])
        #expect(Self.errors("  train: {x: [[1, 2, 3]], y: [1]}\n", model: embedding).isEmpty)
    }

    @Test func validationComesFromOnePlaceOnly() {
        let spec = Self.model.replacingAll("compile: {optimizer: adam, loss: mse}\n", with: "compile: {optimizer: adam, loss: mse}\nfit: {validation: {split: 0.2}, callbacks: [EarlyStopping]}\n")
        #expect(TestSupport.errors(spec + "data:\n  train: {x: x.npy, y: y.npy}\n  validation: {x: v.npy, y: w.npy}\n")
                == ["validation data is given twice: as a split here and as data.validation; keep one"])
        let dataOnly = Self.model + "fit: {callbacks: [EarlyStopping]}\ndata:\n  train: {x: x.npy, y: y.npy}\n  validation: {x: v.npy, y: w.npy}\n"
        #expect(TestSupport.errors(dataOnly).isEmpty)
    }
}
