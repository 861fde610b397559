/// What Keras's summary leaves out and torchinfo shows: multiply-adds per sample and weight bytes.
public enum CostTable {
    /// Multiply-adds of all weight products for one sample; nil if a sequence length is unknown.
    public static func totalMultiplyAdds(_ model: TypedModel) -> Int? {
        var total = 0
        for layer in model.layers {
            guard let value = layer.multiplyAdds else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(value)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// A second table in the summary's layout, printed after Keras's table by `summary --cost`.
    public static func render(_ model: TypedModel) -> String {
        let positions = [29, 49, 65]
        let width = KerasSummary.lineLength
        var lines = ["Cost per sample (not part of Keras's summary)", String(repeating: "_", count: width)]
        lines += KerasSummary.wrappedRow(["Layer", "Mult-adds", "Weight bytes"], positions: positions)
        lines.append(String(repeating: "=", count: width))
        for layer in model.summaryOrder.map({ model.layers[$0] }) {
            let multiplyAdds = layer.multiplyAdds.map(thousands) ?? "?"
            lines += KerasSummary.wrappedRow([layer.name, multiplyAdds, thousands(layer.weightBytes)], positions: positions)
        }
        lines.append(String(repeating: "=", count: width))
        if let total = totalMultiplyAdds(model) {
            lines.append("Mult-adds per sample: \(thousands(total)) (\(scaled(Double(total), units: ["", " K", " M", " G", " T"], base: 1000)))")
        } else {
            lines.append("Mult-adds per sample: unknown (a sequence length is null)")
        }
        let bytes = model.layers.reduce(0) { $0 + $1.weightBytes }
        lines.append("Weight bytes (float32): \(thousands(bytes)) (\(scaled(Double(bytes), units: [" B", " KiB", " MiB", " GiB", " TiB"], base: 1024)))")
        lines.append(String(repeating: "_", count: width))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `76808` → `76.81 K`.
    static func scaled(_ value: Double, units: [String], base: Double) -> String {
        var value = value
        var unit = 0
        while value >= base, unit < units.count - 1 {
            value /= base
            unit += 1
        }
        if unit == 0 { return String(Int(value)) + units[0] }
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)\(units[unit])"
    }
}
