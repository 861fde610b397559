import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Damaged, hostile and foreign Keras files (Tests/Fixtures/keras/malformed, made by
/// Scripts/make-malformed-keras.py from seq_simple_rnn_time_distributed's files): `KerasFile.read`
/// and `modelc predict --weights` must refuse each with a message that says what is wrong, and
/// write nothing while reading them.
struct KerasMalformedTests {
    static let root = KerasFixtures.root + "/malformed"
    /// The Keras-written case the malformed files were derived from: its spec and inputs.
    static let base = KerasFixtures.root + "/seq_simple_rnn_time_distributed"

    /// A file and the words its message must hold (each names the file, so that is not repeated).
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let words: [String]
        /// Words the message must not hold.
        var absent: [String] = []
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "truncated.h5", words: ["truncated.h5", "not a readable HDF5 file", "truncated"]),
        Case(file: "config_not_json.h5", words: ["model_config attribute is not valid JSON"]),
        Case(file: "soft_link.h5", words: ["/model_weights/out/out/alias:0", "soft link"]),
        Case(file: "external_link.h5", words: ["/model_weights/out/out/elsewhere:0", "external link to another file"]),
        Case(file: "huge_dataset.h5", words: ["/model_weights/out/out/kernel:0", "[2500000000]", "too large"]),
        Case(file: "huge_dataset_2d.h5", words: ["/model_weights/out/out/kernel:0", "declares 2500000000 values", "stores 0 bytes", "damaged or truncated"]),
        Case(file: "string_weights.h5", words: ["/model_weights/out/out/kernel:0", "holds strings, not numbers", "float32"]),
        Case(file: "lzf_filter.h5", words: ["/model_weights/out/out/kernel:0", "HDF5 filter 32000", "does not read"]),
        Case(file: "not_keras.h5", words: ["without a `model_config` attribute or Keras weights", "not a Keras file"]),
        Case(file: "zip_slip.keras", words: ["'../evil.txt'", "leads outside the archive"]),
        Case(file: "absolute_path.keras", words: ["'/abs.txt'", "leads outside the archive"]),
        Case(file: "no_config.keras", words: ["has no config.json", "metadata.json, model.weights.h5"]),
        Case(file: "truncated_config.keras", words: ["config.json is not valid JSON"]),
        Case(file: "deep_json.keras", words: ["config.json is not valid JSON", "nested more than"]),
        Case(file: "no_weights.keras", words: ["has no model.weights.h5"]),
        Case(file: "truncated_weights.keras", words: ["[model.weights.h5]", "not a readable HDF5 file", "truncated"]),
        // The zip reader's advice to split .npz data makes no sense for a Keras file.
        Case(file: "zip_bomb.keras", words: ["[config.json]", "314572800 bytes", "256 MiB", "zip bombs"], absent: ["split"]),
        Case(file: "zip_bomb_lying_size.keras", words: ["[config.json]", "damaged"]),
        Case(file: "truncated_zip.keras", words: ["neither a .keras archive", "truncated"]),
    ]

    @Test func everyMalformedFileHasACase() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.root).filter { $0 != "README.md" }
        // The fuzzer's libhdf5 crashers have their own suite (HDF5IsolationTests): one takes a deadline to fail.
        #expect(Set(names.filter { !$0.hasPrefix("fuzz-") }) == Set(Self.cases.map(\.file)))
        #expect(Set(names.filter { $0.hasPrefix("fuzz-") }) == ["fuzz-libhdf5-crash-1.h5", "fuzz-libhdf5-crash-2.h5", "fuzz-libhdf5-hang.h5"])
        let readme = TestSupport.read(Self.root + "/README.md")
        for name in names { #expect(readme.contains("`\(name)`"), "README.md does not describe \(name)") }
    }

    @Test(arguments: cases)
    func readerRefuses(_ item: Case) {
        do {
            _ = try KerasFile.read("\(Self.root)/\(item.file)")
            Issue.record("\(item.file) was read as a Keras file")
        } catch {
            for word in [item.file] + item.words {
                #expect(error.description.contains(word), "\(item.file): \(error.description)")
            }
            for word in item.absent { #expect(!error.description.contains(word), "\(item.file): \(error.description)") }
        }
    }

    @Test(arguments: cases)
    func predictRefuses(_ item: Case) throws {
        let directory = try TestSupport.temporaryDirectory("keras-malformed")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try TestSupport.run(["predict", Self.base + "/spec.yaml", "--weights", "\(Self.root)/\(item.file)",
                                          "--input", Self.base + "/x.npy", "--output", directory + "/y.npy"])
        #expect(result.code == 1, "\(item.file): exit \(result.code), \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "\(item.file): \(result.stderr)")
        for word in [item.file] + item.words {
            #expect(result.stderr.contains(word), "\(item.file): \(result.stderr)")
        }
        for word in item.absent { #expect(!result.stderr.contains(word), "\(item.file): \(result.stderr)") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "\(item.file): predict wrote a file")
    }

    /// Reading every file, in-process and through the CLI, leaves the folder (and the places the
    /// hostile names point at) as they were: no extraction, no followed links, no temporaries.
    @Test func readingWritesNothing() throws {
        // Not the package root: other tests running alongside may write there.
        let watched = [Self.root, KerasFixtures.root, Self.base]
        func snapshot() throws -> [String: [String]] {
            var listing: [String: [String]] = [:]
            for folder in watched {
                listing[folder] = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
                    let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)
                    let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                    return "\(name) \(attributes?[.size] ?? 0) \(modified)"
                }
            }
            return listing
        }
        let before = try snapshot()
        let directory = try TestSupport.temporaryDirectory("keras-malformed-writes")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for item in Self.cases {
            _ = try? KerasFile.read("\(Self.root)/\(item.file)")
            _ = try TestSupport.run(["predict", Self.base + "/spec.yaml", "--weights", "\(Self.root)/\(item.file)",
                                     "--input", Self.base + "/x.npy", "--output", directory + "/y.npy"])
        }
        #expect(try snapshot() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        for path in ["/abs.txt", Self.root + "/../evil.txt", TestSupport.packageRoot + "/../evil.txt",
                     Self.root + "/elsewhere.h5", TestSupport.packageRoot + "/elsewhere.h5"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) appeared")
        }
    }
}

/// Files the libFuzzer target `keras` found that crash or hang libhdf5 itself: they are read in the
/// helper process, whose crash or hang is an error naming the file, never modelc's own.
struct HDF5IsolationTests {
    static let folder = KerasFixtures.root + "/malformed"

    @Test(arguments: ["fuzz-libhdf5-crash-1.h5", "fuzz-libhdf5-crash-2.h5"])
    func aCrashOfLibhdf5IsAnError(_ name: String) throws {
        do {
            _ = try KerasFile.read("\(Self.folder)/\(name)")
            Issue.record("read")
        } catch {
            #expect(error.description.contains("is damaged or crafted: libhdf5 crashed reading it (signal 11); modelc read nothing from it"))
        }
        let result = try TestSupport.run(["import", "\(Self.folder)/\(name)", "--output", "/nonexistent/s.yaml", "--weights-output", "/nonexistent/w.st"])
        #expect(result.code == 1 && result.stderr.contains("libhdf5 crashed reading it"))
    }

    @Test func aHangOfLibhdf5IsStoppedAtTheDeadline() throws {
        let bytes = try KerasFixtures.bytes("\(Self.folder)/fuzz-libhdf5-hang.h5")
        #expect(throws: DataError("hang.h5: libhdf5 was still reading it after 2 s and was stopped; the file is damaged or crafted")) {
            try HDF5Isolation.read(bytes, file: "hang.h5", deadline: 2)
        }
    }

    /// What the helper answers is decoded as untrusted bytes: every truncation is refused.
    @Test func theHelpersAnswerIsCheckedAsUntrusted() throws {
        var tree = HDF5Group(attributes: [HDF5Attribute("a", .stringList(["x", "y"])), HDF5Attribute("n", .int(-3))])
        tree.set(.dataset(HDF5Dataset(shape: [2, 2], values: .float32([1, 2, 3, 4]))), at: "g/w")
        let bytes = HDF5TreeCodec.encode(tree)
        #expect(try HDF5TreeCodec.decode(bytes) == tree)
        for cut in stride(from: 0, to: bytes.count, by: 3) {
            #expect(throws: HDF5TreeCodec.Malformed.self) { try HDF5TreeCodec.decode(Array(bytes.prefix(cut))) }
        }
    }
}
