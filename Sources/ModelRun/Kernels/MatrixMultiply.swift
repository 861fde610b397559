import COpenBLAS

/// Row-major single-precision matrix products through OpenBLAS.
///
/// C[m, n] = alpha · op(A)[m, k] · op(B)[k, n] + beta · C, with `op` transposing when asked.
/// `beta: 1` accumulates (`+=`), which is how parameter gradients are summed.
public enum MatrixMultiply {
    /// OpenBLAS runs single-threaded: modelc parallelizes over batch chunks itself, in a fixed
    /// order, so results never depend on the thread count.
    public static func configure() {
        _ = singleThreaded
    }

    /// Set once per process: OpenBLAS's thread setting is global, and changing it while another
    /// thread is inside a product is not safe.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    @inline(__always)
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                            m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if beta == 0 {
                for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
