import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

@Suite struct TokenizerTests {
    let tokenizer = Tokenizer()

    @Test func punctuationCaseAndLineBreaks() {
        #expect(tokenizer.words("Great movie!!! The BEST,of 2021.") == ["great", "movie", "the", "best", "of", "2021"])
        #expect(tokenizer.words("one<br /><br />two<br/>three<BR>four<br  />five") == ["one", "two", "three", "four", "five"])
        #expect(tokenizer.words("a-b_c(d)[e]{f}|g\\h~i^j`k@l#m$n%o&p*q+r=s<t>u?v/w;x:y\"z") == "abcdefghijklmnopqrstuvwxyz".map(String.init))
        #expect(tokenizer.words("tabs\tand\nlines\r\nsplit") == ["tabs", "and", "lines", "split"])
        #expect(tokenizer.words("  ...  ") == [])
        #expect(tokenizer.words("") == [])
        #expect(Tokenizer(lowercase: false).words("Keep Case") == ["Keep", "Case"])
    }

    @Test func apostrophesStayInsideWordsOnly() {
        #expect(tokenizer.words("Don't say 'great' it's the ending's fault") == ["don't", "say", "great", "it's", "the", "ending's", "fault"])
        #expect(tokenizer.words("don’t ’quote’") == ["don't", "quote"])
        #expect(tokenizer.words("'''") == [])
    }

    @Test func nonASCIILettersAreKeptAndLowercased() {
        #expect(tokenizer.words("Café CRÈME naïve Ελληνικά 東京") == ["café", "crème", "naïve", "ελληνικά", "東京"])
        #expect(tokenizer.words("“quoted” — dash…ellipsis ¡hola!") == ["quoted", "dash", "ellipsis", "hola"])
        #expect(tokenizer.words("١٢٣ numbers") == ["١٢٣", "numbers"])
    }
}

@Suite struct VocabularyTests {
    static let settings = TextPreprocessing(numWords: nil, maxlen: 6)

    @Test func wordsAreRankedByCountThenFirstAppearance() {
        let (vocabulary, _) = Vocabulary.build(from: ["b a c", "a c d", "e a"], preprocessing: Self.settings, length: 6)
        // a: 3, c: 2, then b, d, e once each in order of appearance.
        #expect(vocabulary.words == ["a", "c", "b", "d", "e"])
        #expect(vocabulary.distinctWords == 5)
        #expect(vocabulary.ids["a"] == 3 && vocabulary.ids["e"] == 7)
    }

    @Test func rankingDoesNotDependOnHowTextsAreChunked() {
        let texts = (0..<50).map { "w\($0 % 7) w\($0 % 3) common" }
        let (one, rowsOne) = Vocabulary.build(from: texts, preprocessing: Self.settings, length: 6)
        let (again, rowsAgain) = Vocabulary.build(from: texts, preprocessing: Self.settings, length: 6)
        #expect(one.words == again.words && rowsOne == rowsAgain)
        #expect(one.words.first == "common")
    }

    @Test func numWordsKeepsIdsBelowItAndTheRestBecomeTwo() {
        let settings = TextPreprocessing(numWords: 5, maxlen: 6)
        let (vocabulary, rows) = Vocabulary.build(from: ["a a a b b c"], preprocessing: settings, length: 6)
        // Ids 3 and 4 fit under num_words 5: "a" and "b"; "c" is out of the vocabulary (2). The
        // sequence 1 3 3 3 4 4 2 is one too long, so Keras's default truncation drops its start.
        #expect(vocabulary.words == ["a", "b"])
        #expect(rows == [3, 3, 3, 4, 4, 2])
        #expect(vocabulary.sequences(["b c unknown a"]) == [0, 1, 4, 2, 2, 3])
    }

    @Test(arguments: [
        ("pre", "pre", [Float](arrayLiteral: 7, 7, 1, 3, 4), [Float](arrayLiteral: 4, 5, 6, 7, 8)),
        ("post", "pre", [1, 3, 4, 7, 7], [4, 5, 6, 7, 8]),
        ("pre", "post", [7, 7, 1, 3, 4], [1, 3, 4, 5, 6]),
        ("post", "post", [1, 3, 4, 7, 7], [1, 3, 4, 5, 6]),
    ])
    func paddingAndTruncatingBothWays(_ padding: String, _ truncating: String, _ short: [Float], _ long: [Float]) {
        let settings = TextPreprocessing(numWords: nil, maxlen: 5, padding: padding, truncating: truncating, value: 7)
        let (vocabulary, rows) = Vocabulary.build(from: ["a b", "a b c d e f"], preprocessing: settings, length: 5)
        #expect(vocabulary.words == ["a", "b", "c", "d", "e", "f"])
        #expect(Array(rows[0..<5]) == short)
        #expect(Array(rows[5..<10]) == long)
    }

    @Test func theVocabularyFileRoundTrips() throws {
        let settings = TextPreprocessing(numWords: 100, maxlen: 4, padding: "post", truncating: "post", value: 0, lowercase: false)
        let (vocabulary, _) = Vocabulary.build(from: ["Ab cd ab", "\"quoted\" ünïcode"], preprocessing: settings, length: 4)
        let path = NSTemporaryDirectory() + "modelc-vocabulary-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AtomicFile.write(vocabulary.json, to: path)
        let read = try Vocabulary.read(path)
        #expect(read.words == vocabulary.words && read.preprocessing == vocabulary.preprocessing && read.length == 4)
        #expect(read.sequences(["ab Ab x"]) == vocabulary.sequences(["ab Ab x"]))
        try AtomicFile.write("{\"format\": \"something else\"}", to: path)
        #expect { try Vocabulary.read(path) } throws: { ($0 as? DataError)?.description.contains("is not a modelc vocabulary file") == true }
        try AtomicFile.write("{\"format\": \"modelc vocabulary\", \"words\": []}", to: path)
        #expect { try Vocabulary.read(path) } throws: { ($0 as? DataError)?.description.contains("damaged vocabulary file") == true }
    }
}

@Suite struct ValidationSplitTests {
    @Test func withoutASeedTheLastRowsValidateAsInKeras() {
        let parts = ValidationSplit.indices(rows: 10, fraction: 0.2, seed: nil)
        #expect(parts.train == Array(0..<8) && parts.validation == [8, 9])
    }

    @Test func aSeedShufflesDeterministically() {
        let a = ValidationSplit.indices(rows: 100, fraction: 0.2, seed: 42)
        let b = ValidationSplit.indices(rows: 100, fraction: 0.2, seed: 42)
        let c = ValidationSplit.indices(rows: 100, fraction: 0.2, seed: 43)
        #expect(a.train == b.train && a.validation == b.validation)
        #expect(a.validation != c.validation)
        #expect(a.validation.count == 20 && Set(a.train + a.validation).count == 100)
        #expect(a.validation != Array(80..<100))
    }

    @Test func stratifiedSplitsKeepEveryClassShare() {
        // 70 of class 0 then 30 of class 1, sorted like the IMDB files.
        let labels = [Float](repeating: 0, count: 70) + [Float](repeating: 1, count: 30)
        let parts = ValidationSplit.indices(rows: 100, fraction: 0.2, seed: 7, stratify: true, labels: labels)
        #expect(parts.validation.count == 20)
        #expect(parts.validation.filter { labels[$0] == 1 }.count == 6)
        #expect(Set(parts.train).isDisjoint(with: parts.validation))
        let oneHot = labels.flatMap { $0 == 1 ? [Float(0), 1] : [1, 0] }
        let again = ValidationSplit.indices(rows: 100, fraction: 0.2, seed: 7, stratify: true, labels: oneHot, labelWidth: 2)
        #expect(again.validation.filter { labels[$0] == 1 }.count == 6)
    }
}

@Suite struct TextTableTests {
    static func directory() throws -> String { try TestSupport.temporaryDirectory("text") }

    @Test func csvTextColumnsWithQuotesCommasAndLineBreaks() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = "\u{FEFF}text,label,rating\r\n\"A \"\"great\"\", long\nfilm\",1,9\r\nplain text,0,2\n\n\"comma, only\",1,7\n"
        try AtomicFile.write(csv, to: folder + "/t.csv")
        let table = try TextTable.readCSV(folder + "/t.csv", textColumn: "text", labelColumn: "label", classes: nil)
        #expect(table.texts == ["A \"great\", long\nfilm", "plain text", "comma, only"])
        #expect(table.labels == [1, 0, 1])
        let named = try TextTable.readCSV(folder + "/t.csv", textColumn: "text", labelColumn: "rating", classes: ["2", "7", "9"])
        #expect(named.labels == [2, 0, 1])
    }

    @Test func csvProblemsNameTheColumnOrRow() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func problem(_ contents: [UInt8], text: String = "text", label: String? = "label", classes: [String]? = nil) throws -> String {
            try AtomicFile.write(contents, to: folder + "/t.csv")
            do {
                _ = try TextTable.readCSV(folder + "/t.csv", textColumn: text, labelColumn: label, classes: classes)
                return ""
            } catch {
                return error.description.replacingOccurrences(of: folder + "/", with: "")
            }
        }
        let good = Array("text,label\nnice,1\nbad,0\n".utf8)
        #expect(try problem(good, text: "review") == "t.csv has no column 'review'; its columns are: text, label")
        #expect(try problem(good, label: "stars") == "t.csv has no column 'stars'; its columns are: text, label")
        #expect(try problem(Array("text,label\nnice,yes\n".utf8)) == "t.csv line 2 (data row 1): label 'yes' is not a number; give `classes: [...]` on the split to map label names to 0, 1, ...")
        #expect(try problem(Array("text,label\nnice,pos\nmeh,neutral\n".utf8), classes: ["neg", "pos"])
                == "t.csv line 3 (data row 2): label 'neutral' is not a known class; the classes are neg, pos")
        #expect(try problem(Array("text,label\nnice,1\n".utf8) + [0x62, 0xFF, 0x2C, 0x31, 0x0A]) == "t.csv line 3 (data row 2) is not valid UTF-8; save the file as UTF-8")
        #expect(try problem([]) == "t.csv is empty; it needs a header row and one row per text")
        #expect(try problem(Array("text,label\n".utf8)) == "t.csv has a header but no rows")
        #expect(try problem(Array("text,label\nnice,1,extra\n".utf8)) == "t.csv line 2 (data row 1) has 3 fields but the header has 2")
        #expect(try problem(good, label: nil).isEmpty)
    }

    @Test func classFoldersAsKerasReadsThem() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, files) in [("pos", ["b.txt": "good", "a.txt": "great"]), ("neg", ["c.txt": "awful"]), ("unsup", ["d.txt": "?"])] {
            try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
            for (file, text) in files { try AtomicFile.write(text, to: folder + "/" + name + "/" + file) }
        }
        try AtomicFile.write("ignored", to: folder + "/pos/notes.md")
        let all = try TextTable.readDirectory(folder, classes: nil)
        #expect(all.classes == ["neg", "pos", "unsup"])
        #expect(all.texts == ["awful", "great", "good", "?"] && all.labels == [0, 1, 1, 2])
        let chosen = try TextTable.readDirectory(folder, classes: ["neg", "pos"])
        #expect(chosen.texts == ["awful", "great", "good"] && chosen.labels == [0, 1, 1])
        #expect { try TextTable.readDirectory(folder, classes: ["neg", "neutral"]) } throws: {
            ($0 as? DataError)?.description == "\(folder) has no folder for class 'neutral'; its folders are neg, pos, unsup"
        }
        try AtomicFile.write([0xC3, 0x28], to: folder + "/neg/e.txt")
        #expect { try TextTable.readDirectory(folder, classes: nil) } throws: {
            ($0 as? DataError)?.description == "\(folder)/neg/e.txt is not valid UTF-8; save it as UTF-8"
        }
        #expect { try TextTable.readDirectory(folder + "/none", classes: nil) } throws: {
            ($0 as? DataError)?.description == "text folder not found: \(folder)/none"
        }
    }
}
