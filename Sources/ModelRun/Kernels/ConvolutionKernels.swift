/// Unfolding sequences into one row per output position (im2col), so a 1-D convolution is one
/// matrix product, and folding row gradients back onto the sequences.
enum ConvolutionKernels {
    /// cols[q·L' + o, j·C + c] = x[q, o·s - padLeft + j·d, c], zero where that step is padding.
    /// x: [sequences, L, C]; cols: [sequences · L', window · C]
    static func unfold(_ x: UnsafePointer<Float>, sequences: Int, channels: Int, geometry g: WindowGeometry,
                       into cols: UnsafeMutablePointer<Float>) {
        let rowWidth = g.window * channels
        for sequence in 0..<sequences {
            let xs = x + sequence * g.inputLength * channels
            for position in 0..<g.outputLength {
                let row = cols + (sequence * g.outputLength + position) * rowWidth
                let taps = g.validTaps(position)
                if taps.lowerBound > 0 { row.update(repeating: 0, count: taps.lowerBound * channels) }
                for tap in taps {
                    (row + tap * channels).update(from: xs + g.inputStep(position, tap) * channels, count: channels)
                }
                if taps.upperBound < g.window {
                    (row + taps.upperBound * channels).update(repeating: 0, count: (g.window - taps.upperBound) * channels)
                }
            }
        }
    }

    /// The adjoint of `unfold`: dx[q, o·s - padLeft + j·d, c] += dcols[q·L' + o, j·C + c] (padding
    /// drops its share). dx must be zeroed (or hold a gradient to add to) beforehand.
    /// dcols: [sequences · L', window · C]; dx: [sequences, L, C]
    static func foldAdding(_ dcols: UnsafePointer<Float>, sequences: Int, channels: Int, geometry g: WindowGeometry,
                           into dx: UnsafeMutablePointer<Float>) {
        let rowWidth = g.window * channels
        for sequence in 0..<sequences {
            let dxs = dx + sequence * g.inputLength * channels
            for position in 0..<g.outputLength {
                let row = dcols + (sequence * g.outputLength + position) * rowWidth
                for tap in g.validTaps(position) {
                    let source = row + tap * channels
                    let target = dxs + g.inputStep(position, tap) * channels
                    for c in 0..<channels { target[c] += source[c] }
                }
            }
        }
    }
}
