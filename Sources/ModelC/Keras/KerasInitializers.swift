/// Keras's initializer objects for modelc's initializer names, both ways. Keras 3 adds
/// `input_axes`/`output_axes` to the variance-scaling family and drops Identity's `gain`.
enum KerasInitializers {
    /// name → (class, Keras 3 config, tf_keras config).
    static let table: [(name: String, className: String, keras3: [(String, JSONValue)], tfKeras: [(String, JSONValue)])] = {
        let axes: [(String, JSONValue)] = [("input_axes", .null), ("output_axes", .null)]
        let uniform: [(String, JSONValue)] = [("minval", .double(-0.05)), ("maxval", .double(0.05))]
        let normal: [(String, JSONValue)] = [("mean", .double(0)), ("stddev", .double(0.05))]
        var rows: [(String, String, [(String, JSONValue)], [(String, JSONValue)])] = [
            ("zeros", "Zeros", [], []),
            ("ones", "Ones", [], []),
            ("random_uniform", "RandomUniform", [("seed", .null)] + uniform, uniform + [("seed", .null)]),
            ("uniform", "RandomUniform", [("seed", .null)] + uniform, uniform + [("seed", .null)]),
            ("random_normal", "RandomNormal", [("seed", .null)] + normal, normal + [("seed", .null)]),
            ("truncated_normal", "TruncatedNormal", [("seed", .null)] + normal, normal + [("seed", .null)]),
            ("orthogonal", "Orthogonal", [("seed", .null), ("gain", .double(1))], [("gain", .double(1)), ("seed", .null)]),
            ("identity", "Identity", [], [("gain", .double(1))]),
        ]
        for (name, className) in [("glorot_uniform", "GlorotUniform"), ("glorot_normal", "GlorotNormal"),
                                  ("he_uniform", "HeUniform"), ("he_normal", "HeNormal"),
                                  ("lecun_uniform", "LecunUniform"), ("lecun_normal", "LecunNormal")] {
            rows.append((name, className, [("seed", .null)] + axes, [("seed", .null)]))
        }
        return rows.map { (name: $0.0, className: $0.1, keras3: $0.2, tfKeras: $0.3) }
    }()

    static func object(_ name: String, _ flavor: KerasFlavor) -> JSONValue {
        guard let row = table.first(where: { $0.name == name }) else { return .string(name) }
        return .object([
            ("module", .string("keras.initializers")),
            ("class_name", .string(row.className)),
            ("config", .object(flavor == .keras3 ? row.keras3 : row.tfKeras)),
            ("registered_name", .null),
        ])
    }
}
