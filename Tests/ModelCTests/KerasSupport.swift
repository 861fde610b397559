import Foundation
@testable import ModelC
@testable import ModelRun

/// The Keras-written fixtures (Tests/Fixtures/keras, made by Scripts/make-keras-fixtures.sh) and
/// the comparisons the Keras file tests share.
enum KerasFixtures {
    static let root = TestSupport.packageRoot + "/Tests/Fixtures/keras"

    /// Every case folder with a spec, in name order (the test that reads it checks there are ten).
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(root)/\($0)/spec.yaml") }.sorted()
    }()

    static func model(_ name: String) throws -> TypedModel {
        let text = TestSupport.read("\(root)/\(name)/spec.yaml")
        guard let model = TestSupport.model(text) else { throw DataError("\(name)/spec.yaml does not check: \(TestSupport.errors(text))") }
        return model
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func weights(_ name: String) throws -> [String: SafeTensors.Tensor] {
        try SafeTensors.decode(bytes("\(root)/\(name)/weights.safetensors"), file: name)
    }

    static func json(_ path: String) throws -> JSONValue { try JSONParser.parse(bytes(path)) }

    /// `config.json` inside an archive.
    static func archiveMember(_ bytes: [UInt8], _ name: String) throws -> [UInt8] {
        let members = try ZipMembers.list(bytes)
        guard let member = members.first(where: { $0.name == name }) else { throw DataError("no \(name)") }
        return try ZipMembers.contents(of: member, in: bytes, limit: 1 << 30)
    }

    /// Where two JSON values differ, as paths, keys compared as sets and numbers by value;
    /// `shared_object_id` (a Python object address) is left out.
    static func differences(_ a: JSONValue, _ b: JSONValue, path: String = "") -> [String] {
        switch (a, b) {
        case (.object(let left), .object(let right)):
            let leftKeys = Dictionary(left.filter { $0.0 != "shared_object_id" }, uniquingKeysWith: { x, _ in x })
            let rightKeys = Dictionary(right.filter { $0.0 != "shared_object_id" }, uniquingKeysWith: { x, _ in x })
            var found: [String] = []
            for key in Set(leftKeys.keys).union(rightKeys.keys).sorted() {
                switch (leftKeys[key], rightKeys[key]) {
                case (let x?, let y?): found += differences(x, y, path: path + "/" + key)
                case (nil, _): found.append("\(path)/\(key) missing")
                case (_, nil): found.append("\(path)/\(key) extra")
                }
            }
            return found
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return ["\(path): \(left.count) items, Keras \(right.count)"] }
            return zip(left, right).enumerated().flatMap { differences($1.0, $1.1, path: "\(path)[\($0)]") }
        default:
            if let x = a.doubleValue, let y = b.doubleValue { return x == y ? [] : ["\(path): \(x), Keras \(y)"] }
            return a == b ? [] : ["\(path): \(a.rendered(indent: nil)), Keras \(b.rendered(indent: nil))"]
        }
    }

    /// An HDF5 tree as the fixture's `*-tree.json` lists it: (path, kind, shape, attributes with
    /// their string kinds), so a written file can be compared with Keras's own structurally.
    static func outline(_ group: HDF5Group, path: String = "") -> [String] {
        var lines = ["\(path.isEmpty ? "/" : path) group" + attributes(group.attributes)]
        for (name, node) in group.children.sorted(by: { $0.name < $1.name }) {
            switch node {
            case .group(let child): lines += outline(child, path: path + "/" + name)
            case .dataset(let dataset):
                let type = if case .int64 = dataset.values { "<i8" } else { "<f4" }
                lines.append("\(path)/\(name) dataset \(type) \(dataset.shape)" + attributes(dataset.attributes))
            }
        }
        return lines
    }

    private static func attributes(_ list: [HDF5Attribute]) -> String {
        list.sorted { $0.name < $1.name }.map { attribute in
            let kind = switch attribute.value {
            case .string(let text): "utf8 " + (attribute.name.hasSuffix("config") ? "<json>" : text)
            case .asciiString(let text): "ascii " + (attribute.name.hasSuffix("config") ? "<json>" : text)
            case .stringList(let items): "utf8[] " + items.joined(separator: ",")
            case .asciiStringList(let items): "ascii[] " + items.joined(separator: ",")
            case .emptyList: "float64[0]"
            case .int(let value): "int \(value)"
            case .double(let value): "double \(value)"
            }
            return " @\(attribute.name)=\(kind)"
        }.joined()
    }

    /// The same outline from a fixture's `*-tree.json` (h5py's view of the file Keras wrote).
    static func outline(treeJSON path: String) throws -> [String] {
        guard case .array(let objects) = try json(path) else { return [] }
        var lines: [String] = []
        for object in objects {
            guard let name = object["path"]?.stringValue, let kind = object["kind"]?.stringValue else { continue }
            var line = name + " " + kind
            if kind == "dataset" {
                line += " " + (object["dtype"]?.stringValue ?? "?") + " \((object["shape"]?.arrayValue ?? []).compactMap(\.intValue))"
            }
            var attributes: [(String, String)] = []
            for (attributeName, attribute) in object["attrs"]?.objectValue ?? [] {
                let ascii = attribute["string"]?["encoding"]?.stringValue == "ascii"
                let prefix = ascii ? "ascii" : "utf8"
                let value = attribute["value"]
                let text: String
                if attribute["h5_class"]?.stringValue == "string" {
                    if let items = value?.arrayValue {
                        text = "\(prefix)[] " + items.compactMap(\.stringValue).joined(separator: ",")
                    } else {
                        text = "\(prefix) " + (attributeName.hasSuffix("config") ? "<json>" : value?.stringValue ?? "")
                    }
                } else if attribute["shape"]?.arrayValue?.first?.intValue == 0 {
                    text = "float64[0]"
                } else {
                    text = value?.rendered(indent: nil) ?? "?"
                }
                attributes.append((attributeName, text))
            }
            line += attributes.sorted { $0.0 < $1.0 }.map { " @\($0.0)=\($0.1)" }.joined()
            lines.append(line)
        }
        return lines.sorted()
    }
}
