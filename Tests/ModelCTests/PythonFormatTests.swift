import Foundation
import Testing
@testable import ModelC

/// modelc's Python `format` against Python itself: every expected string and error below comes
/// from Tests/Fixtures/python-format.json, which Scripts/python-format-cases.py wrote by running
/// Python 3.11 (`repr(x)`, `format(x, spec)`, `template.format(epoch=..., **logs)`).
@Suite struct PythonFormatTests {
    struct Fixture: @unchecked Sendable {
        /// Parsed JSON, read once and never changed.
        let object: [String: Any]

        static let shared: Fixture? = {
            let path = TestSupport.packageRoot + "/Tests/Fixtures/python-format.json"
            guard let data = FileManager.default.contents(atPath: path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return Fixture(object: object)
        }()

        func rows(_ key: String) -> [[Any]] { object[key] as? [[Any]] ?? [] }

        /// [value, [[spec, result or null, error or null]]] rows as (value, spec, result, error).
        func cases(_ key: String) -> [(Any, String, String?, String?)] {
            rows(key).flatMap { row in
                (row[1] as? [[Any]] ?? []).map { (row[0], $0[0] as! String, $0[1] as? String, $0[2] as? String) }
            }
        }
    }

    static func double(_ bits: Any) -> Double {
        Double(bitPattern: UInt64(bits as! String, radix: 16)!)
    }

    /// What modelc makes of `spec` on a value: the text, or its refusal.
    static func outcome(_ body: (FormatSpec) throws(FormatProblem) -> String, _ spec: String) -> Result<String, FormatProblem> {
        do throws(FormatProblem) {
            return .success(try body(FormatSpec.parse(spec)))
        } catch {
            return .failure(error)
        }
    }

    /// Compares each case; `refusedOnPurpose` says which specs modelc refuses although Python
    /// formats them. Returns a line per disagreement.
    static func disagreements(_ cases: [(Any, String, String?, String?)], refusedOnPurpose: (String) -> Bool,
                              _ run: (Any, String) -> Result<String, FormatProblem>) -> [String] {
        var lines: [String] = []
        for (value, spec, expected, pythonError) in cases {
            let got = run(value, spec)
            switch got {
            case .success(let text):
                if let expected, refusedOnPurpose(spec) {
                    lines.append("\(value) '\(spec)': modelc gave '\(text)' but should refuse (Python: '\(expected)')")
                } else if let expected, text != expected {
                    lines.append("\(value) '\(spec)': modelc '\(text)', Python '\(expected)'")
                } else if let pythonError {
                    lines.append("\(value) '\(spec)': modelc '\(text)', Python refuses: \(pythonError)")
                }
            case .failure(let problem):
                if let expected, !refusedOnPurpose(spec) {
                    lines.append("\(value) '\(spec)': modelc refuses (\(problem.message)), Python '\(expected)'")
                }
            }
        }
        return lines
    }

    @Test func fixtureIsThere() throws {
        let fixture = try #require(Fixture.shared, "Tests/Fixtures/python-format.json is missing; run Scripts/python-format-cases.py")
        #expect(fixture.rows("repr").count > 500)
        #expect(fixture.cases("float").count > 4000)
        #expect(fixture.cases("int").count > 1000)
        #expect(fixture.rows("templates").count > 100)
    }

    @Test func reprMatchesPythonsShortestDigits() throws {
        let fixture = try #require(Fixture.shared)
        var wrong: [String] = []
        for row in fixture.rows("repr") {
            let value = Self.double(row[0])
            let expected = row[1] as! String
            let got = PythonFormat.repr(value)
            if got != expected { wrong.append("\(row[0]): modelc \(got), Python \(expected)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ: \(wrong.prefix(20).joined(separator: "; "))")
    }

    @Test func floatsFormatAsPythonFormatsThem() throws {
        let fixture = try #require(Fixture.shared)
        // 'n' follows the locale; modelc refuses it rather than guess.
        let wrong = Self.disagreements(fixture.cases("float"), refusedOnPurpose: { $0.hasSuffix("n") }) { value, spec in
            Self.outcome({ spec throws(FormatProblem) in try PythonFormat.format(Self.double(value), spec) }, spec)
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ: \(wrong.prefix(20).joined(separator: "; "))")
    }

    @Test func intsFormatAsPythonFormatsThem() throws {
        let fixture = try #require(Fixture.shared)
        // 'c' writes a character (even '/'), 'n' follows the locale: modelc refuses both.
        let wrong = Self.disagreements(fixture.cases("int"), refusedOnPurpose: { $0.hasSuffix("n") || $0.hasSuffix("c") }) { value, spec in
            Self.outcome({ spec throws(FormatProblem) in try PythonFormat.format(value as! Int, spec) }, spec)
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ: \(wrong.prefix(20).joined(separator: "; "))")
    }

    @Test func stringsFormatAsPythonFormatsThem() throws {
        let fixture = try #require(Fixture.shared)
        let wrong = Self.disagreements(fixture.cases("string"), refusedOnPurpose: { _ in false }) { value, spec in
            Self.outcome({ spec throws(FormatProblem) in try PythonFormat.format(string: value as! String, spec) }, spec)
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ: \(wrong.prefix(20).joined(separator: "; "))")
    }

    /// Python accepts these; modelc refuses them on purpose (see CheckpointTemplate).
    static let templatesRefusedOnPurpose: Set<String> = [
        "{epoch.real}", "{epoch:c}", "{epoch:n}", "{loss:n}", "{epoch:{w}}", "{epoch:065d}", "{loss:.65f}",
    ]

    @Test func checkpointTemplatesFormatAsStrFormatDoes() throws {
        let fixture = try #require(Fixture.shared)
        var logs: [String: Double] = [:]
        for row in fixture.rows("logs") { logs[row[0] as! String] = Self.double(row[1]) }
        var wrong: [String] = []
        var refusals = 0
        for row in fixture.rows("templates") {
            let template = row[0] as! String, epoch = row[1] as! Int
            let expected = row[2] as? String, pythonError = row[3] as? String
            var got: Result<String, FormatProblem>
            do throws(FormatProblem) {
                got = .success(try CheckpointTemplate.parse(template).render(epoch: epoch, logs: logs))
            } catch {
                got = .failure(error)
            }
            let onPurpose = Self.templatesRefusedOnPurpose.contains(template)
            switch got {
            case .success(let text):
                if onPurpose || pythonError != nil || text != expected {
                    wrong.append("\(template) epoch \(epoch): modelc '\(text)', Python \(expected.map { "'\($0)'" } ?? pythonError!)")
                }
            case .failure(let problem):
                refusals += 1
                if !onPurpose, let expected {
                    wrong.append("\(template) epoch \(epoch): modelc refuses (\(problem.message)), Python '\(expected)'")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ: \(wrong.prefix(20).joined(separator: "; "))")
        #expect(refusals > 60)
    }

    // Expected strings below were printed by python3 3.11 (`python3 -c "print(format(x, spec))"`).

    @Test func roundingIsCorrectlyRoundedHalfToEven() throws {
        func f(_ value: Double, _ spec: String) throws -> String { try PythonFormat.format(value, FormatSpec.parse(spec)) }
        #expect(try f(0.125, ".2f") == "0.12")
        #expect(try f(0.375, ".2f") == "0.38")
        #expect(try f(2.675, ".2f") == "2.67")
        #expect(try f(1.005, ".2f") == "1.00")
        #expect(try f(0.5, ".0f") == "0")
        #expect(try f(1.5, ".0f") == "2")
        #expect(try f(2.5, ".0f") == "2")
        #expect(try f(9.995, ".2f") == "9.99")
        #expect(try f(0.0005, ".3f") == "0.001")
        #expect(try f(Double.leastNonzeroMagnitude, ".3e") == "4.941e-324")
        #expect(try f(1.7976931348623157e308, ".3g") == "1.8e+308")
        #expect(PythonFormat.repr(1e16) == "1e+16")
        #expect(PythonFormat.repr(1e15) == "1000000000000000.0")
        #expect(PythonFormat.repr(1e-05) == "1e-05")
        #expect(PythonFormat.repr(0.0001) == "0.0001")
        #expect(PythonFormat.repr(0.123456789) == "0.123456789")
        #expect(PythonFormat.repr(Double(Float(0.001))) == "0.0010000000474974513")
    }

    @Test func widthsAndPrecisionsAboveTheBoundAreRefused() {
        #expect(throws: FormatProblem.self) { try FormatSpec.parse("100000000d") }
        #expect(throws: FormatProblem.self) { try FormatSpec.parse(".65f") }
        #expect(throws: FormatProblem.self) { try FormatSpec.parse("65") }
        #expect((try? FormatSpec.parse("064.64f")) != nil)
    }
}
