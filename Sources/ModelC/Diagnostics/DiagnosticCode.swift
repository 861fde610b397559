/// The stable codes of modelc's diagnostics, grouped by the stage that finds them:
/// MC00xx files, MC01xx YAML, MC02xx spec structure, MC03xx layers and arguments,
/// MC04xx shapes and graph, MC05xx compile and fit, MC06xx data, MC07xx runs and files.
/// The table (`DiagnosticCodeTable.swift`) gives each its number, a one-paragraph explanation and
/// an example; `modelc explain`, docs/diagnostics.md, SARIF rules and the language server read it.
public enum DiagnosticCode: String, CaseIterable, Sendable, Hashable {
    case specFileUnreadable
    case specFileTooLarge
    case tooManyDiagnostics
    case yamlSyntax
    case yamlIndentation
    case notUTF8
    case multipleDocuments
    case undefinedAlias
    case yamlLimits
    case duplicateKey
    case complexKey
    case unsupportedTag
    case specStructure
    case unknownSection
    case missingLayers
    case malformedLayerEntry
    case shorthandSyntax
    case missingInput
    case inputGivenTwice
    case sequentialFunctionalMix
    case unknownLayer
    case unknownArgument
    case invalidArgumentValue
    case duplicateArgument
    case tooManyValues
    case missingArgument
    case wrapperMisuse
    case inputShapeIgnored
    case initializerShape
    case suspiciousArgument
    case inputRank
    case needsTokenIDs
    case shapeMismatch
    case sizeOverflow
    case duplicateLayerName
    case unknownTensorName
    case definedLater
    case ambiguousInput
    case mergeArity
    case invalidTensorList
    case invalidInputsDeclaration
    case invalidOutputs
    case unusedLayer
    case memoryEstimate
    case compileStructure
    case unknownComponent
    case unknownOutput
    case duplicateMetric
    case lossOutputMismatch
    case activationLossMismatch
    case outputWithoutLoss
    case fitStructure
    case conflictingOptions
    case monitorUnavailable
    case checkpointPath
    case checkpointFormat
    case dataStructure
    case dataTextSettings
    case inlineData
    case dataModelMismatch
    case dataUnknownName
    case missingDataSource
    case dataFileMissing
    case dataContents
    case dataNotScanned

    /// `MC0301`.
    public var id: String {
        let digits = String(entry.number)
        return "MC" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The short name, `unknown-layer`.
    public var name: String {
        var result = ""
        var previous: Character?
        for character in rawValue {
            // A dash before a capital that follows a lowercase letter or digit: `notUTF8` → `not-utf8`.
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { result += "-" }
            result += character.lowercased()
            previous = character
        }
        return result
    }

    /// One line: what the code means.
    public var summary: String { entry.summary }
    /// A paragraph: why modelc reports it and how to fix it.
    public var explanation: String { entry.explanation }
    /// A spec that gets this diagnostic; nil for the codes about files, which no spec text shows.
    public var example: String? { entry.example }

    /// The severity its diagnostics usually have (SARIF's default level); a few codes warn or
    /// fail depending on the case (data.text settings).
    public var defaultSeverity: Severity {
        switch self {
        case .tooManyDiagnostics, .dataNotScanned: .note
        case .inputShapeIgnored, .suspiciousArgument, .unusedLayer, .memoryEstimate, .activationLossMismatch,
             .outputWithoutLoss, .checkpointFormat:
            .warning
        default: .error
        }
    }

    /// The code with id `MC0301` or short name `unknown-layer`.
    public init?(lookup text: String) {
        let wanted = text.uppercased()
        guard let found = Self.allCases.first(where: { $0.id == wanted || $0.name == text.lowercased() }) else { return nil }
        self = found
    }
}

/// One row of the code table.
struct DiagnosticCodeEntry {
    var number: Int
    var summary: String
    var explanation: String
    var example: String?
}
