import Foundation
import Testing
@testable import ModelC

/// The recorded Keras outputs of Tests/Fixtures/summary-layouts (written by
/// Scripts/keras-summary-layouts.sh --record from tf_keras and Keras 3 themselves).
enum SummaryLayoutFixtures {
    static let directory = TestSupport.packageRoot + "/Tests/Fixtures/summary-layouts"

    /// Case name -> spec path relative to the package root.
    static let specs: [String: String] = {
        let data = FileManager.default.contents(atPath: directory + "/cases.json") ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? [:]
    }()

    static let names: [String] = specs.keys.sorted()

    static func recorded(_ name: String, _ layout: SummaryLayout) -> String {
        TestSupport.read("\(directory)/\(name).\(layout.rawValue).txt")
    }

    static func model(_ name: String) -> TypedModel? {
        let path = TestSupport.packageRoot + "/" + (specs[name] ?? "")
        return TestSupport.check(TestSupport.read(path), path: path).model
    }

    /// Every recorded text of one layout.
    static func all(_ layout: SummaryLayout) -> [String] {
        names.map { recorded($0, layout) }
    }
}

@Suite("SummaryLayout: tf_keras 2.13+ and Keras 3 tables, byte for byte")
struct SummaryLayoutTests {
    @Test func theFixturesAreThere() {
        // Specs/, the shared reference cases (copied in) and the layout's own edge cases.
        #expect(SummaryLayoutFixtures.names.count >= 80)
        for name in SummaryLayoutFixtures.names {
            #expect(!SummaryLayoutFixtures.recorded(name, .tfKeras).isEmpty, "\(name).tf-keras.txt")
            #expect(!SummaryLayoutFixtures.recorded(name, .keras3).isEmpty, "\(name).keras3.txt")
        }
    }

    @Test(arguments: SummaryLayoutFixtures.names)
    func tfKerasMatchesTfKeras(_ name: String) throws {
        let model = try #require(SummaryLayoutFixtures.model(name), "\(name) does not check")
        #expect(KerasSummary.render(model, layout: .tfKeras) == SummaryLayoutFixtures.recorded(name, .tfKeras))
    }

    @Test(arguments: SummaryLayoutFixtures.names)
    func keras3MatchesKeras3(_ name: String) throws {
        let model = try #require(SummaryLayoutFixtures.model(name), "\(name) does not check")
        #expect(KerasSummary.render(model, layout: .keras3) == SummaryLayoutFixtures.recorded(name, .keras3))
    }

    /// The recorded cases hold what the layouts must get right, so passing them means something.
    @Test func theFixturesCoverTheEdges() {
        let tf = SummaryLayoutFixtures.all(.tfKeras), k3 = SummaryLayoutFixtures.all(.keras3)
        for texts in [tf, k3] {
            #expect(texts.contains { $0.contains("Connected to") })      // functional table
            #expect(texts.contains { $0.contains("(InputLayer)") && !$0.contains("Connected to") })  // a chain
            #expect(texts.contains { $0.contains(" KB)") })
            #expect(texts.contains { $0.contains(" MB)") })
            #expect(texts.contains { $0.contains(" GB)") })
        }
        #expect(tf.contains { $0.contains("Byte)\nTrainable") })          // under 1 KB in total
        #expect(tf.contains { $0.contains("Non-trainable params: 2048 (8.00 KB)") })
        #expect(k3.contains { $0.contains("…") })                          // a name cut in its column
        #expect(k3.contains { $0.contains("1,200") })                      // thousands in a row
        #expect(k3.contains { $0.contains(" B)\n Trainable") })
        // A model name past rich's 80 columns wraps the first line.
        #expect(k3.contains { $0.hasPrefix("Model: \n\"a_model_whose_name") })
    }

    @Test func kerasStaysTheDefault() throws {
        let model = try #require(SummaryLayoutFixtures.model("Specs-imdb_lstm"))
        #expect(KerasSummary.render(model) == KerasSummary.render(model, layout: .keras))
        #expect(KerasSummary.render(model).contains("Total params: 8,809\n"))
    }

    @Test func theCommandLinePrintsBothLayouts() throws {
        for layout in [SummaryLayout.tfKeras, .keras3] {
            let run = try TestSupport.run(["summary", "Specs/imdb_lstm.yaml", "--layout", layout.rawValue])
            #expect(run.code == 0)
            #expect(run.stdout == SummaryLayoutFixtures.recorded("Specs-imdb_lstm", layout))
        }
        let help = try TestSupport.run(["summary", "--help"])
        #expect(help.stdout.contains("tf-keras") && help.stdout.contains("keras3"))
    }
}

@Suite("SummaryLayout: Keras's readable_memory_size")
struct ReadableMemorySizeTests {
    /// Byte counts -> what tf_keras's and Keras 3's `readable_memory_size` returned for them
    /// (recorded by Scripts/keras-summary-layouts.py --record).
    static let recorded: [(bytes: Int, tfKeras: String, keras3: String)] = {
        let path = SummaryLayoutFixtures.directory + "/memory-sizes.json"
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let rows = (try? JSONSerialization.jsonObject(with: data)) as? [[Any]] ?? []
        return rows.compactMap { row in
            guard row.count == 3, let bytes = (row[0] as? NSNumber)?.int64Value,
                  let tf = row[1] as? String, let k3 = row[2] as? String else { return nil }
            return (Int(bytes), tf, k3)
        }
    }()

    @Test func everyRecordedSizeMatchesKeras() {
        #expect(Self.recorded.count >= 30)
        for (bytes, tf, k3) in Self.recorded {
            #expect(ReadableMemorySize.format(bytes: bytes, units: ReadableMemorySize.tfKerasUnits) == tf, "\(bytes)")
            #expect(ReadableMemorySize.format(bytes: bytes, units: ReadableMemorySize.keras3Units) == k3, "\(bytes)")
        }
    }

    @Test func unitBoundaries() {
        let f = { ReadableMemorySize.format(bytes: $0, units: ReadableMemorySize.tfKerasUnits) }
        #expect(f(0) == "0.00 Byte")
        #expect(f(1023) == "1023.00 Byte")
        #expect(f(1024) == "1.00 KB")
        #expect(f(1152) == "1.12 KB")          // 1.125: a tie, to even as Python rounds
        #expect(f(1_048_575) == "1024.00 KB")  // under 1 MB, rounded up in print
        #expect(f(1 << 20) == "1.00 MB")
        #expect(f(1 << 30) == "1.00 GB")
        #expect(ReadableMemorySize.format(bytes: 48, units: ReadableMemorySize.keras3Units) == "48.00 B")
    }
}

@Suite("SummaryLayout: rich's table arithmetic")
struct RichTableTests {
    /// Keras 3's column widths (34, 26, 16 and 22, 20, 14, 20 of 76) plus padding overflow the
    /// table, and rich's ratio_reduce takes 10 and 13 cells off (3, 4, 3 and 3, 3, 4, 3: halves to even).
    @Test func columnWidthsAsRichSettlesThem() {
        func widths(_ columns: [Int]) -> [Int] {
            RichTable(columns: columns.map { .init(header: "", width: $0, justify: .left) }, width: 76).cellWidths
        }
        #expect(widths([34, 26, 16]) == [33, 24, 15])
        #expect(widths([22, 20, 14, 20]) == [21, 19, 12, 19])
        #expect(RichTable.roundHalfEven(7, 2) == 4 && RichTable.roundHalfEven(5, 2) == 2 && RichTable.roundHalfEven(10, 3) == 3)
    }

    @Test func wrappingAtSpacesAndCuttingLongWords() {
        #expect(RichTable.wrap("concatenate (Concatenate)", width: 19, justify: .left) == ["concatenate        ", "(Concatenate)      "])
        #expect(RichTable.wrap("out_with_a_very_long_name (Dense)", width: 19, justify: .left) == ["out_with_a_very_lo…", "(Dense)            "])
        #expect(RichTable.wrap("8,000", width: 10, justify: .right) == ["     8,000"])
        // The console folds instead: a word wider than the line is cut into full lines.
        #expect(RichTable.consoleLines("Model: \"" + String(repeating: "m", count: 90) + "\"", width: 80)
            == ["Model: ", "\"" + String(repeating: "m", count: 79), String(repeating: "m", count: 11) + "\""])
    }
}
