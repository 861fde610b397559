/// The files `modelc train` writes into a run directory itself. Checkpoints (checked in the spec and
/// again at run time) may not take these names.
public enum RunFileNames {
    public static let resumeState = "resume.safetensors"
    public static let lock = ".modelc.lock"
    /// What reproduces the run and how it ended (RunRecord).
    public static let record = "run.json"
    /// The class names of labels read from texts (ClassNames).
    public static let classes = "classes.json"
    /// The folder of the test report (TestReport), written when the spec has test data.
    public static let report = "report"
    /// Every name the run owns, the lock included.
    public static let own = ["weights.safetensors", "best.safetensors", "history.csv", "history.json", "curves.svg",
                             "vocabulary.json", classes, record, report, resumeState, lock]
    /// The names as a message lists them (the hidden lock left out).
    public static var listed: String { own.filter { $0 != lock }.joined(separator: ", ") }
}
