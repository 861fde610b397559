import Foundation
import ModelC

/// `classes.json`: the class names a run's labels were read as (a CSV label column of texts, such
/// as iris's species), index order, so that evaluate maps the test labels the same way and predict
/// names its classes.
enum ClassNames {
    static func json(_ classes: [String]) -> String {
        JSONValue.array(classes.map { .string($0) }).rendered() + "\n"
    }

    /// The classes.json in the folder of `weights`, if there is one.
    static func beside(weights: String) throws(DataError) -> [String]? {
        let path = (weights as NSString).deletingLastPathComponent + "/" + RunFileNames.classes
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try DataFile.read(path, what: "the run's class names", origin: .commandLine)
        guard let names = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String], !names.isEmpty,
              Set(names).count == names.count else {
            throw DataError("\(path) is not a list of distinct class names as train writes it")
        }
        return names
    }
}
