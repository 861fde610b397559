import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// safetensors files: Keras names and layouts, round trips, and every way a file can be wrong.
@Suite struct SafeTensorsTests {
    static let spec = """
        input: [6, 3]
        layers:
          - Bidirectional LSTM 2 return_sequences
          - TimeDistributed Dense 4
          - BatchNormalization
          - GRU 2
        """

    @Test func namesFollowKerasWithWrapperPrefixes() throws {
        let network = try RunSupport.network(Self.spec)
        #expect(network.parameters.map(\.name) == [
            "bidirectional/forward/kernel", "bidirectional/forward/recurrent_kernel", "bidirectional/forward/bias",
            "bidirectional/backward/kernel", "bidirectional/backward/recurrent_kernel", "bidirectional/backward/bias",
            "time_distributed/kernel", "time_distributed/bias",
            "batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean", "batch_normalization/moving_variance",
            "gru/kernel", "gru/recurrent_kernel", "gru/bias",
        ])
        #expect(network.parameters.first { $0.name == "gru/bias" }?.shape == [2, 6])
    }

    @Test func savedWeightsLoadBackExactly() throws {
        let network = try RunSupport.network(Self.spec, seed: 1)
        let path = NSTemporaryDirectory() + "modelc-weights-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try WeightsFile.save(network, to: path)
        let other = try RunSupport.network(Self.spec, seed: 2)
        #expect(other.parameters.map(\.value.array) != network.parameters.map(\.value.array))
        try WeightsFile.load(other, from: path)
        #expect(other.parameters.map(\.value.array) == network.parameters.map(\.value.array))
        // The header is JSON any safetensors reader accepts: 8-byte length, then data 8-byte aligned.
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        let length = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + length) % 8 == 0)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        #expect((header["__metadata__"] as? [String: String])?["producer"] == "modelc")
    }

    static func header(_ json: String, data: Int) -> [UInt8] {
        var bytes = [UInt8]()
        let text = Array(json.utf8)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((UInt64(text.count) >> UInt64(shift)) & 0xFF)) }
        return bytes + text + [UInt8](repeating: 0, count: data)
    }

    @Test(arguments: [
        ([UInt8]([1, 2, 3]), "fewer than the 8-byte header length"),
        (header("{}", data: 0).dropLast(0) + [], ""),
        ([UInt8]([255, 255, 255, 255, 0, 0, 0, 0]) + [UInt8](repeating: 32, count: 8), "its header claims"),
        (header("not json", data: 0), "not valid JSON"),
        (header("[1, 2]", data: 0), "not a JSON object"),
        (header(#"{"a/kernel": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}"#, data: 4), "'a/kernel' is F16"),
        (header(#"{"a/kernel": {"dtype": "F32", "shape": [2], "data_offsets": [0, 80]}}"#, data: 8), "'a/kernel' has data offsets outside"),
        (header(#"{"a/kernel": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, data: 8), "'a/kernel' is shaped [3]"),
        (header(#"{"a/kernel": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 8]}}"#, data: 8), "'a/kernel' has an invalid shape"),
        (header(#"{"a/kernel": {"dtype": "F32", "shape": [2], "data_offsets": [4, 0]}}"#, data: 8), "'a/kernel' has data offsets outside"),
        (header(#"{"a/kernel": {"dtype": "F32", "shape": [2000000000, 2000000000], "data_offsets": [0, 8]}}"#, data: 8), "'a/kernel' has a shape larger than"),
        (header(#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}"#, data: 12), "overlap"),
        (header(#"{"a": {"shape": [2], "data_offsets": [0, 8]}}"#, data: 8), "'a' has no dtype"),
    ])
    func brokenFilesAreRefusedByName(_ bytes: [UInt8], _ expected: String) throws {
        if expected.isEmpty {
            #expect(try SafeTensors.decode(bytes, file: "w.safetensors").isEmpty)
            return
        }
        #expect {
            _ = try SafeTensors.decode(bytes, file: "w.safetensors")
        } throws: { error in
            (error as? WeightsError)?.description.contains(expected) == true && (error as? WeightsError)?.description.hasPrefix("w.safetensors") == true
        }
    }

    @Test func weightsThatDoNotFitTheModelAreRefusedByTensor() throws {
        let network = try RunSupport.network("input: [3]\nlayers: [Dense 2]\n")
        let good = WeightsFile.tensors(of: network)
        func refusal(_ tensors: [(name: String, tensor: SafeTensors.Tensor)]) throws -> String {
            let decoded = try SafeTensors.decode(SafeTensors.encode(tensors), file: "w")
            do {
                try WeightsFile.load(network, tensors: decoded, file: "w")
                return ""
            } catch {
                return error.description
            }
        }
        #expect(try refusal(good).isEmpty)
        #expect(try refusal(Array(good.dropLast())) == "w lacks the tensor 'dense/bias' ([2])")
        #expect(try refusal(good + [("dense/extra", SafeTensors.Tensor(shape: [1], values: [0]))])
                == "w has a tensor 'dense/extra' that this model does not have; the model's weights are dense/kernel, dense/bias")
        #expect(try refusal([good[0], ("dense/bias", SafeTensors.Tensor(shape: [3], values: [0, 0, 0]))])
                == "w: tensor 'dense/bias' is shaped [3] but the model needs [2]")
        // A refused file changes nothing.
        let before = network.parameters.map(\.value.array)
        _ = try refusal([good[0], ("dense/bias", SafeTensors.Tensor(shape: [3], values: [9, 9, 9]))])
        #expect(network.parameters.map(\.value.array) == before)
    }

    @Test func aMissingWeightsFileNamesThePath() throws {
        let network = try RunSupport.network("input: [3]\nlayers: [Dense 2]\n")
        #expect {
            try WeightsFile.load(network, from: "/no/such/w.safetensors")
        } throws: { error in
            (error as? WeightsError)?.description == "Cannot find the weights file /no/such/w.safetensors: there is no file at that path. Check the path."
        }
    }
}

/// Keras's initializers: the distributions and their parameters.
@Suite struct InitializerTests {
    static func values(_ initializer: String, shape: [Int], seed: UInt64 = 1) -> [Float] {
        let buffer = Buffer(count: shape.reduce(1, *))
        var random = RandomSource(seed: seed)
        Initializers.fill(buffer, shape: shape, initializer: initializer, random: &random)
        return buffer.array
    }

    @Test func uniformFamiliesStayWithinKerasLimits() {
        let shape = [40, 60]
        let glorot = Self.values("glorot_uniform", shape: shape)
        let limit = Float((6.0 / 100).squareRoot())
        #expect(glorot.allSatisfy { abs($0) <= limit } && glorot.contains { abs($0) > 0.9 * limit })
        #expect(Self.values("he_uniform", shape: shape).allSatisfy { abs($0) <= Float((6.0 / 40).squareRoot()) })
        #expect(Self.values("lecun_uniform", shape: shape).allSatisfy { abs($0) <= Float((3.0 / 40).squareRoot()) })
        #expect(Self.values("uniform", shape: shape).allSatisfy { abs($0) <= 0.05 })
        // Convolution kernels [k, in, out] count the receptive field in both fans.
        let conv = Self.values("glorot_uniform", shape: [3, 4, 8])
        #expect(conv.allSatisfy { abs($0) <= Float((6.0 / (12 + 24)).squareRoot()) })
    }

    @Test func normalFamiliesAreTruncatedAtTwoStandardDeviations() {
        let values = Self.values("he_normal", shape: [200, 100])
        let stddev = (2.0 / 200).squareRoot() / 0.87962566103423978
        #expect(values.allSatisfy { abs(Double($0)) <= 2 * stddev + 1e-6 })
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        // The truncated distribution's variance is the target scale 2 / fan_in.
        #expect(abs(Double(variance) - 2.0 / 200) < 0.1 * 2.0 / 200)
        #expect(Self.values("truncated_normal", shape: [1000]).allSatisfy { abs($0) <= 0.1 })
    }

    @Test(arguments: [[8, 32], [32, 8], [5, 5]])
    func orthogonalHasOrthonormalRowsOrColumns(_ shape: [Int]) {
        let q = Self.values("orthogonal", shape: shape)
        let (rows, columns) = (shape[0], shape[1])
        // The smaller dimension's vectors are orthonormal.
        let byRows = rows <= columns
        for i in 0..<min(rows, columns) {
            for j in 0..<min(rows, columns) {
                var dot: Float = 0
                for k in 0..<max(rows, columns) {
                    dot += byRows ? q[i * columns + k] * q[j * columns + k] : q[k * columns + i] * q[k * columns + j]
                }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-4)
            }
        }
    }

    @Test func constantsIdentityAndSeeds() {
        #expect(Self.values("zeros", shape: [3]) == [0, 0, 0])
        #expect(Self.values("ones", shape: [2, 2]) == [1, 1, 1, 1])
        #expect(Self.values("identity", shape: [2, 3]) == [1, 0, 0, 0, 1, 0])
        #expect(Self.values("glorot_uniform", shape: [4, 4], seed: 1) == Self.values("glorot_uniform", shape: [4, 4], seed: 1))
        #expect(Self.values("glorot_uniform", shape: [4, 4], seed: 1) != Self.values("glorot_uniform", shape: [4, 4], seed: 2))
    }

    @Test func networksInitializeEachWeightAsDeclared() throws {
        let network = try RunSupport.network("input: [5, 3]\nlayers:\n  - Bidirectional LSTM 4\n  - Dense 2\n")
        let byName = Dictionary(uniqueKeysWithValues: network.parameters.map { ($0.name, $0.value.array) })
        // unit_forget_bias: the forget gate (second block of four) starts at 1, the rest at 0.
        for direction in ["forward", "backward"] {
            let bias = try #require(byName["bidirectional/\(direction)/bias"])
            #expect(Array(bias[0..<4]) == [0, 0, 0, 0] && Array(bias[4..<8]) == [1, 1, 1, 1] && Array(bias[8..<16]) == Array(repeating: 0, count: 8))
        }
        #expect(byName["dense/bias"] == [0, 0])
        // Each weight has its own stream: the two directions start differently.
        #expect(byName["bidirectional/forward/kernel"] != byName["bidirectional/backward/kernel"])
        let frozen = try RunSupport.network("input: [5, 3]\nlayers:\n  - LSTM: {units: 4, unit_forget_bias: false}\n")
        #expect(frozen.parameters[2].value.array.allSatisfy { $0 == 0 })
    }
}
