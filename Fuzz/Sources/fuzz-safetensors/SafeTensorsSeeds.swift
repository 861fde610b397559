import ModelRun

/// Small files written by modelc's own encoder: several tensors, a 0-d one, an empty one, metadata.
let safeTensorsSeeds: [(name: String, bytes: [UInt8])] = [
    ("two.safetensors", SafeTensors.encode([
        ("dense/kernel", .init(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-3, 7])),
        ("dense/bias", .init(shape: [3], values: [0.1, 0.2, 0.3])),
    ], metadata: ["format": "modelc"])),
    ("scalar.safetensors", SafeTensors.encode([("s", .init(shape: [], values: [42]))])),
    ("empty-tensor.safetensors", SafeTensors.encode([("e", .init(shape: [0, 4], values: []))])),
    ("none.safetensors", SafeTensors.encode([])),
]
