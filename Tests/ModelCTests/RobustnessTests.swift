import Testing
import Foundation
@testable import ModelC

@Suite struct RobustnessTests {
    @Test func overflowRender() async {
        await #expect(processExitsWith: .success) {
            let r = TestSupport.check("input: [2147483647]\nlayers:\n  - Dense 2147483647\n")
            if let m = r.model { _ = KerasSummary.render(m); _ = SummaryJSON.render(m); _ = CostTable.render(m) }
        }
    }
    @Test func overflowRender3() async {
        await #expect(processExitsWith: .success) {
            let r = TestSupport.check("input: [2147483647]\nlayers:\n  - Dense 2147483647\n  - Dense 2147483647\n  - Dense 2147483647\n")
            if let m = r.model { _ = KerasSummary.render(m) }
        }
    }
    @Test func deepShorthand() async {
        await #expect(processExitsWith: .success) {
            let r = TestSupport.check("input: [4, 2]\nlayers:\n  - " + String(repeating: "TimeDistributed ", count: 6000) + "Dense 1\n")
            print(r.diagnostics.count)
        }
    }
    @Test func td2() {
        let r = TestSupport.check("input: [4, 3, 2]\nlayers:\n  - TimeDistributed TimeDistributed Dense 1\n")
        print(r.model?.output as Any, r.diagnostics.map(\.message))
    }
}
