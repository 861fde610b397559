import Foundation
import Testing
@testable import ModelRun

/// The recurrent cells' fast exp, sigmoid and tanh against double precision over their whole range.
@Suite struct RecurrentMathTests {
    /// Every 9973rd float pattern between -90 and 90 (plus the exact range ends and zero).
    static let grid: [Float] = {
        var values: [Float] = [0, -0.0, 87, -87, 88, -88, 0.25, -0.25, 1e-30, -1e-30]
        var bits: UInt32 = 0
        while bits < 0x42B4_0000 {  // 90
            let value = Float(bitPattern: bits)
            values += [value, -value]
            bits += 9973
        }
        return values
    }()

    static func relativeError(_ approximate: Float, _ exact: Double) -> Double {
        abs(Double(approximate) - exact) / max(abs(exact), 1e-30)
    }

    @Test func expIsWithinFourUlpWhereItIsNormal() {
        var worst = 0.0
        for x in Self.grid where x > -87 && x < 88 {
            worst = max(worst, Self.relativeError(RecurrentMath.exp(x), Foundation.exp(Double(x))))
        }
        #expect(worst < 4.8e-7, "worst relative error \(worst)")
        #expect(RecurrentMath.exp(-1000) > 0 && RecurrentMath.exp(1000).isFinite)
    }

    @Test func sigmoidAndTanhAreWithinFourUlp() {
        var worstSigmoid = 0.0, worstTanh = 0.0
        for x in Self.grid {
            let sigmoid = 1 / (1 + Foundation.exp(-Double(x)))
            if sigmoid > 1e-37 { worstSigmoid = max(worstSigmoid, Self.relativeError(RecurrentMath.sigmoid(x), sigmoid)) }
            worstTanh = max(worstTanh, Self.relativeError(RecurrentMath.tanh(x), Foundation.tanh(Double(x))))
        }
        #expect(worstSigmoid < 4.8e-7, "sigmoid: worst relative error \(worstSigmoid)")
        #expect(worstTanh < 4.8e-7, "tanh: worst relative error \(worstTanh)")
        #expect(RecurrentMath.tanh(-0.0).sign == .minus && RecurrentMath.tanh(1e-30) == 1e-30)
    }
}
