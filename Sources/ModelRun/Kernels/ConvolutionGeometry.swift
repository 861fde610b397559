/// Where the windows of a 1-D convolution or pooling sit on a sequence: output position `o`, tap `j`
/// reads input step `o·stride - padLeft + j·dilation`; steps outside [0, inputLength) are padding.
struct WindowGeometry: Equatable {
    let inputLength: Int
    let outputLength: Int
    /// Taps per window (kernel_size or pool_size).
    let window: Int
    let stride: Int
    let dilation: Int
    /// Padding steps before the first input step.
    let padLeft: Int

    /// Steps one window spans, taps and holes: (window - 1)·dilation + 1.
    var span: Int { (window - 1) * dilation + 1 }

    /// Keras's `padding` (`valid`, `same` or `causal`) with TensorFlow's conventions: SAME pads
    /// max((⌈L/s⌉ - 1)·s + span - L, 0) steps, the smaller half on the left; causal pads span - 1 on the
    /// left and then runs valid, which also gives ⌈L/s⌉ outputs.
    init(padding: String, inputLength: Int, window: Int, stride: Int, dilation: Int = 1) {
        self.inputLength = inputLength
        self.window = window
        self.stride = stride
        self.dilation = dilation
        let span = (window - 1) * dilation + 1
        switch padding {
        case "same":
            outputLength = (inputLength + stride - 1) / stride
            padLeft = max((outputLength - 1) * stride + span - inputLength, 0) / 2
        case "causal":
            outputLength = (inputLength + stride - 1) / stride
            padLeft = span - 1
        default:
            outputLength = max(inputLength - span + stride, 0) / stride
            padLeft = 0
        }
    }

    /// The input step tap `tap` of window `position` reads; may fall outside the sequence.
    @inline(__always) func inputStep(_ position: Int, _ tap: Int) -> Int {
        position * stride - padLeft + tap * dilation
    }

    /// The taps of window `position` that land on real input steps (padding never counts).
    @inline(__always) func validTaps(_ position: Int) -> Range<Int> {
        let start = position * stride - padLeft
        // First tap with start + j·d ≥ 0; last with start + j·d ≤ L - 1.
        let first = start >= 0 ? 0 : (-start + dilation - 1) / dilation
        let lastStep = inputLength - 1 - start
        let end = lastStep < 0 ? 0 : min(window, lastStep / dilation + 1)
        return first..<max(first, end)
    }
}
