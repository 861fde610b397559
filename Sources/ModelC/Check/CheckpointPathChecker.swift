extension TrainingChecker {
    /// A ModelCheckpoint's filepath: inside the run directory, a template Python's `str.format`
    /// reads, naming only `epoch` and values in `available` (nil: unknown, any name passes) with
    /// specs that suit them, and still inside the run directory once formatted. Every field's
    /// problem is reported, at the filepath.
    mutating func checkCheckpointPath(_ callback: CompileConfig.Component, available: [String]?) {
        guard let path = callback.arguments.optionalString("filepath") else { return }
        let range = callback.arguments.ranges["filepath"] ?? callback.range
        if let problem = CheckpointTemplate.pathProblem(path) {
            diagnostics.error(.checkpointPath, "ModelCheckpoint filepath '\(path)' \(problem)", at: range)
            return
        }
        let template: CheckpointTemplate
        do {
            template = try CheckpointTemplate.parse(path)
        } catch {
            diagnostics.error(.checkpointPath, "ModelCheckpoint filepath '\(path)': \(error.message)", at: range)
            return
        }
        let problems = template.problems(available: available)
        for problem in problems {
            diagnostics.error(.checkpointPath, "ModelCheckpoint filepath '\(path)': \(problem)", at: range)
        }
        guard problems.isEmpty else { return }
        if let name = template.sampleName(), RunFileNames.own.contains(name) {
            diagnostics.error(.checkpointPath, "ModelCheckpoint filepath '\(path)' is one of the files the run writes itself (\(RunFileNames.listed)); choose another name, such as 'checkpoint-{epoch:02d}.safetensors'", at: range)
        } else if let name = template.sampleName(), let problem = CheckpointTemplate.pathProblem(name) {
            diagnostics.error(.checkpointPath, "ModelCheckpoint filepath '\(path)' formats to names like '\(name)', which \(problem)", at: range)
        } else if ![".safetensors", ".keras", ".h5", ".hdf5"].contains(where: { path.lowercased().hasSuffix($0) }) {
            diagnostics.warning(.checkpointFormat, "ModelCheckpoint writes a Keras file for a name ending in .keras or .h5 and safetensors weights for any other; end the name in .safetensors, .keras or .h5 to say which", at: range)
        }
    }
}
