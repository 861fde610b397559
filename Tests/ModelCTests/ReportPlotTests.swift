import Foundation
import Testing
@testable import ModelRun

/// The test report's SVG plots: well-formed XML with the elements and labels each must show.
@Suite struct ReportPlotTests {
    static let multiClass = ClassificationSection(
        output: "species", loss: "sparse_categorical_crossentropy",
        probabilities: [0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.5, 0.4, 0.1, 0.2, 0.3, 0.5, 0.1, 0.1, 0.8],
        truth: [0, 1, 1, 0, 2], classes: ["setosa", "versicolor", "virginica & co"], notes: [])

    static let binary = ClassificationSection(output: "out", loss: "binary_crossentropy", probabilities: [0.9, 0.8, 0.8, 0.4, 0.4, 0.1],
                                              truth: [1, 1, 0, 1, 0, 0], classes: ["negative", "positive"], notes: [])

    @Test func confusionMatrixHeatMapHasACellPerPairWithItsNumberAndTheClassNames() throws {
        let counts = try PlotTests.svgParsed(ReportPlots.confusionMatrix(Self.multiClass, try #require(Self.multiClass.statistics), normalized: false))
        // 9 cells, the frame, the colour bar, the background.
        #expect(counts.elements["rect"] == 12)
        #expect(counts.elements["title"] == 9)
        // Class names on both axes, escaped and read back.
        #expect(counts.texts.filter { $0 == "virginica & co" }.count == 2)
        #expect(counts.texts.contains("true class") && counts.texts.contains("predicted class"))
        // The counts of the matrix [[1 0 1] [1 1 0] [0 0 1]] in row order.
        let cells = counts.texts.filter { Int($0) != nil }
        #expect(Array(cells.prefix(9)) == ["1", "0", "1", "1", "1", "0", "0", "0", "1"])
        let normalized = try PlotTests.svgTexts(ReportPlots.confusionMatrix(Self.multiClass, try #require(Self.multiClass.statistics), normalized: true))
        #expect(normalized.contains("0.50") && normalized.contains("1.00"))
        #expect(normalized.contains { $0.contains("each row sums to 1") })
    }

    @Test func rocHasTheDiagonalAndTheAreaInTheLegend() throws {
        let binary = try PlotTests.svgParsed(ReportPlots.roc(Self.binary))
        #expect(binary.texts.contains("class positive (AUC 0.7778)"))
        #expect(binary.texts.contains("chance") && binary.texts.contains("false positive rate") && binary.texts.contains("true positive rate"))
        #expect(binary.elements["polyline"] == 1)
        let multi = try PlotTests.svgParsed(ReportPlots.roc(Self.multiClass))
        #expect(multi.elements["polyline"] == 3)
        #expect(multi.texts.contains { $0.hasPrefix("setosa (AUC ") } && multi.texts.contains { $0.hasPrefix("virginica & co (AUC ") })
        #expect(multi.texts.contains { $0.contains("macro AUC") })
    }

    @Test func precisionRecallShowsAveragePrecisionAndTheBaseline() throws {
        let texts = try PlotTests.svgTexts(ReportPlots.precisionRecall(Self.binary))
        #expect(texts.contains("class positive (AP 0.7556)"))
        #expect(texts.contains("chance (0.50 positive)"))
        #expect(texts.contains("recall") && texts.contains("precision"))
    }

    /// Points inside a straight vertical or horizontal run are left out of a drawn line; corners and
    /// diagonal (tied) steps stay.
    @Test func straightRunsAreDrawnByTheirEnds() {
        let points: [(x: Double, y: Double)] = [(0, 0), (0, 0.25), (0, 0.5), (0.25, 0.75), (0.5, 0.75), (1, 0.75), (1, 1)]
        let drawn = ReportPlots.drawn(points)
        #expect(drawn.map(\.x) == [0, 0, 0.25, 1, 1] && drawn.map(\.y) == [0, 0.5, 0.75, 0.75, 1])
    }

    /// Output names become file names: only safe characters, never a separator or a leading dot.
    @Test func outputNamesMakeSafeFileNames() {
        #expect(TestReport.safe("../evil/name") == "_._evil_name")
        #expect(TestReport.safe("dense_1") == "dense_1" && TestReport.safe("héad") == "h_ad")
    }

    /// Many classes: the 20 with the most samples get curves; the heat map gives way to a note past 100.
    @Test func manyClassesStayReadable() throws {
        let count = 120
        let truth = (0..<(count * 2)).map { $0 % count }
        let probabilities = truth.indices.flatMap { row in (0..<count).map { $0 == truth[row] ? 0.5 : 0.5 / Double(count - 1) } }
        let section = ClassificationSection(output: "many", loss: "categorical_crossentropy", probabilities: probabilities,
                                            truth: truth, classes: (0..<count).map { "c\($0)" }, notes: [])
        let roc = try PlotTests.svgParsed(ReportPlots.roc(section))
        #expect(roc.elements["polyline"] == ReportPlots.curveLimit)
        #expect(roc.texts.contains("one vs rest: the 20 of 120 classes with the most samples"))
        let heatMap = try PlotTests.svgTexts(ReportPlots.confusionMatrix(section, try #require(section.statistics), normalized: false))
        #expect(heatMap.contains { $0.hasPrefix("120 classes are too many for a readable heat map") })
    }

    @Test func undefinedCurvesSaySoInThePlot() throws {
        let oneClass = ClassificationSection(output: "out", loss: "binary_crossentropy", probabilities: [0.2, 0.7],
                                             truth: [1, 1], classes: ["0", "1"], notes: [])
        let roc = try PlotTests.svgParsed(ReportPlots.roc(oneClass))
        #expect(roc.texts.contains("class 1 (AUC undefined)"))
        #expect(roc.texts.contains("undefined: the labels hold one class only"))
        #expect(roc.elements["polyline"] == nil)
    }

    @Test func calibrationHasAPointPerFilledBinAndTheDiagonal() throws {
        let parsed = try PlotTests.svgParsed(ReportPlots.calibration(Self.binary))
        // Filled bins of 0.9 0.8 0.8 0.4 0.4 0.1: (0, 0.1], (0.3, 0.4], (0.7, 0.8], (0.8, 0.9].
        #expect(parsed.elements["circle"] == 4)
        #expect(parsed.texts.contains("perfectly calibrated") && parsed.texts.contains("mean predicted probability"))
        #expect(parsed.texts.contains("fraction positive"))
    }

    @Test func regressionScatterAndResidualHistogram() throws {
        let section = RegressionSection(output: "price", loss: "mean_squared_error", columns: ["value_0", "value_1"],
                                        statistics: [RegressionStatistics(truth: [1, 2, 3, 4], predicted: [1, 2, 3, 5]),
                                                     RegressionStatistics(truth: [2, 2, 2, 2], predicted: [1, 2, 3, 2])],
                                        truth: [[1, 2, 3, 4], [2, 2, 2, 2]], predicted: [[1, 2, 3, 5], [1, 2, 3, 2]])
        let scatter = try PlotTests.svgParsed(ReportPlots.predictedVersusTrue(section))
        #expect(scatter.elements["circle"] == 8)
        #expect(scatter.texts.contains("value_0: R² 0.8000") && scatter.texts.contains("value_1: R² undefined"))
        #expect(scatter.texts.contains("true value") && scatter.texts.contains("predicted value"))
        let residuals = try PlotTests.svgParsed(ReportPlots.residuals(section))
        #expect(residuals.texts.contains("residual (true − predicted)") && residuals.texts.contains("samples"))
        #expect(residuals.texts.contains("value_0: MAE 0.25, RMSE 0.5"))
        // 5 bins each; residuals 0 0 0 −1 fill two bins, 1 0 −1 0 three; plus the background and each panel's frame.
        #expect(residuals.elements["rect"] == 1 + 2 + 2 + 3)
    }
}
