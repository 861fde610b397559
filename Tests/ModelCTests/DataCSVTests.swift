import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Numeric CSV files: quoting, line ends, byte-order marks, column selection and every refusal.
@Suite struct DataCSVTests {
    static func read(_ text: String, features: [String]? = nil, labels: [String] = ["y"]) throws -> (x: NumpyArray, y: NumpyArray) {
        try NumericCSV.decode(Array(text.utf8), file: "d.csv", features: features, labels: labels)
    }

    static func message(_ text: String, features: [String]? = nil, labels: [String] = ["y"]) -> String {
        DataTesting.message { _ = try read(text, features: features, labels: labels) }
    }

    @Test func readsFeaturesAndOneLabel() throws {
        let (x, y) = try Self.read("a,b,y\n1.5,2,0\n-3,4e-1,1\n")
        #expect(x == NumpyArray(shape: [2, 2], values: [1.5, 2, -3, 0.4]))
        #expect(y == NumpyArray(shape: [2], values: [0, 1], kind: .int64))
    }

    @Test func quotedFieldsCRLFAndByteOrderMark() throws {
        // Quoted header names with commas and doubled quotes, quoted numbers, a quoted field spanning lines, CRLF.
        let text = "\u{FEFF}\"size, cm\",\"say \"\"hi\"\"\",label\r\n\"1.5\",2,\"3\"\r\n 4 ,\"5\r\n\",6\r\n"
        let (x, y) = try NumericCSV.decode(Array(text.utf8), file: "q.csv", features: nil, labels: ["label"])
        #expect(x.shape == [2, 2])
        #expect(x.values == [1.5, 2, 4, 5])
        #expect(y == NumpyArray(shape: [2], values: [3, 6], kind: .int64))
        let named = try NumericCSV.decode(Array(text.utf8), file: "q.csv", features: ["say \"hi\""], labels: ["size, cm", "label"])
        #expect(named.x == NumpyArray(shape: [2, 1], values: [2, 5], kind: .int64))
        #expect(named.y == NumpyArray(shape: [2, 2], values: [1.5, 3, 4, 6]))
    }

    @Test func bareCarriageReturnsAndBlankLinesAndNoFinalNewline() throws {
        let (x, y) = try Self.read("y,a\r1,2\r\r\n  \n3,4")
        #expect(x.values == [2, 4])
        #expect(y.values == [1, 3])
    }

    @Test func chosenFeaturesKeepTheirOrderAndNonIntegersMakeFloats() throws {
        let (x, y) = try Self.read("a,b,c,y\n1,2,3,0.5\n4,5,6,1\n", features: ["c", "a"])
        #expect(x == NumpyArray(shape: [2, 2], values: [3, 1, 6, 4], kind: .int64))
        #expect(y == NumpyArray(shape: [2], values: [0.5, 1]))
        let (spelled, _) = try Self.read("a,y\n1.0,0\nnan,1\n")
        #expect(spelled.kind == .float32)
        #expect(spelled.values[1].isNaN, "NaN is a number to the reader; DataChecks refuses it before training")
    }

    @Test func columnProblemsListTheColumnsFound() {
        #expect(Self.message("a,b,y\n1,2,3\n", features: ["a", "bb"], labels: ["why"])
                == "d.csv has no columns named 'bb', 'why'; its columns are: a, b, y. Fix the names in the spec's data section.")
        #expect(Self.message("a,b,y\n1,2,3\n", labels: ["z"])
                == "d.csv has no column named 'z'; its columns are: a, b, y. Fix the names in the spec's data section.")
        #expect(Self.message("a,y\n1,2\n", features: ["a", "y"])
                == "The column 'y' of d.csv is listed both as a feature and as a label; a model must not see its own target, so remove it from features.")
        #expect(Self.message("a,a,y\n1,2,3\n")
                == "The column name 'a' appears more than once in the header of d.csv; give every column a distinct name (pandas writes an unnamed index column unless you save with index=False).")
        #expect(Self.message(",a,y\n0,1,2\n")
                == "Column 1 of d.csv has no name, and every column not in labels would become a feature; name it, list the feature columns, or save without the index (pandas: index=False).")
        #expect(Self.message("y\n1\n")
                == "Every column of d.csv is a label, so no feature columns are left; list the label column(s) only under labels.")
        #expect(Self.message("a,y\n1,2\n", features: [])
                == "The feature list for d.csv is empty; name the feature columns or leave features out to use every non-label column.")
        #expect(Self.message("a,y\n1,2\n", labels: [])
                == "No label column is named for d.csv; list the column(s) of y under labels (its columns are: a, y).")
        // Selecting around an unnamed or repeated column is fine.
        #expect((try? Self.read(",a,b,b,y\n0,1,2,2,3\n", features: ["a"]))?.x.values == [1])
    }

    @Test func headerProblems() {
        #expect(Self.message("1,2,3\n4,5,6\n")
                == "The first row of d.csv holds numbers (1, 2, 3), not column names; add a header row naming the columns.")
        #expect(Self.message("a;b;y\n1;2;3\n")
                == "d.csv seems to separate its columns with ';'; modelc reads comma-separated files, so save it with commas.")
        #expect(Self.message("")
                == "d.csv is empty; a CSV file needs a header row naming the columns, then one row per sample.")
        #expect(Self.message("\n \r\n") == Self.message(""))
        #expect(Self.message("a,y\r\n\r\n")
                == "d.csv has a header row but no data rows; add one row per sample.")
    }

    @Test func cellAndRowProblemsNameTheLineRowAndColumn() {
        #expect(Self.message("a,b,y\n1,2,0\n\n3,abc,1\n")
                == "d.csv line 4 (data row 2), column 'b' holds \"abc\", which is not a number; modelc reads numeric columns only, so fill in or encode the value as a number (or leave the column out of the features).")
        #expect(Self.message("a,b,y\n1,,0\n").hasPrefix("d.csv line 2 (data row 1), column 'b' is empty; "))
        #expect(Self.message("a,b,y\n1,2,0\n1,2\n")
                == "d.csv line 3 (data row 2) has 2 fields but the header names 3 columns; give every row one value per column (and quote values that contain commas).")
        #expect(Self.message("a,b,y\n1,2,0,\n").hasPrefix("d.csv line 2 (data row 1) has 4 fields"))
        // A quoted field spanning lines moves the following rows' line numbers along.
        #expect(Self.message("a,b,y\n1,\"2\n\",0\n1,x,0\n").hasPrefix("d.csv line 4 (data row 2), column 'b' holds \"x\""))
        #expect(Self.message("a,b,y\n1,\"2,0\n")
                == "d.csv line 2 opens a quoted field that is never closed; add the closing double quote (a quote inside a quoted field is written twice: \"\").")
    }

    @Test func encodingsOtherThanUTF8AreRefused() {
        #expect(DataTesting.message { _ = try NumericCSV.decode([0xFF, 0xFE, 0x61, 0x00], file: "w.csv", features: nil, labels: ["y"]) }
                == "w.csv is UTF-16 text; save it as UTF-8 (plain CSV) instead.")
        #expect(DataTesting.message { _ = try NumericCSV.decode([0x61, 0x2C, 0x79, 0x0A, 0xE9, 0x2C, 0x31], file: "l.csv", features: nil, labels: ["y"]) }
                == "l.csv is not UTF-8 text; save it as a plain UTF-8 CSV file.")
    }

    @Test func readNamesTheMissingPathAndReadsAFile() throws {
        let folder = try DataTesting.folder("csv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("train.csv").path
        #expect(DataTesting.message { _ = try NumericCSV.read(path, features: nil, labels: ["y"]) }
                == "Cannot find the CSV file \(path): there is no file at that path. Check the path (relative paths are resolved against the spec's folder).")
        try AtomicFile.write("x1,x2,y\n0.5,1,2\n", to: path)
        let (x, y) = try NumericCSV.read(path, features: nil, labels: ["y"])
        #expect(x.values == [0.5, 1])
        #expect(y.values == [2])
    }
}
