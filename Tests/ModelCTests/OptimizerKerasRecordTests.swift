import Testing
@testable import ModelC
@testable import ModelRun

/// Optimizer trajectories recorded from tf_keras 2.21 by /work/probe/helperC/record_optimizers.py: the
/// weights and gradients of OptimizerParityTests, three steps of `apply_gradients` inside a tf.function
/// traced the way `model.fit` traces it. Tolerance 1e-6 relative; on the recording machine every value
/// agreed to the bit except RMSprop's, whose rsqrt TensorFlow computes to within an ulp.
@Suite struct OptimizerKerasRecordTests {
    struct KerasTrajectory: CustomTestStringConvertible {
        let optimizer: String
        let arguments: [String: ArgumentValue]
        let variables: Int
        /// afterStep[step][variable]: the weights Keras holds after that step.
        let afterStep: [[[Float]]]

        /// The optimizer as a spec writes it.
        var spec: String {
            "{\(optimizer): {" + arguments.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}}"
        }
        var testDescription: String { spec }
    }

    static let trajectories: [KerasTrajectory] = [
        KerasTrajectory(optimizer: "SGD", arguments: [:], variables: 2, afterStep: [
            [[0.497, -1.243, 1.9995, 0.738, 0.0, -0.2998], [0.104, -0.2025, 0.041]],
            [[0.498, -1.238, 1.9975001, 0.72999996, -0.003, -0.2999], [0.1005, -0.1965, 0.036000002]],
            [[0.4955, -1.242, 2.0005, 0.73599994, -0.004, -0.3006], [0.1, -0.1985, 0.047000002]]]),
        KerasTrajectory(optimizer: "SGD", arguments: ["learning_rate": .float(0.1), "momentum": .float(0.9)], variables: 2, afterStep: [
            [[0.47, -1.18, 1.995, 0.63, 0.0, -0.298], [0.14, -0.22500001, -0.039999995]],
            [[0.453, -1.0669999, 1.9705, 0.44199997, -0.030000001, -0.2972], [0.141, -0.1875, -0.17099999]],
            [[0.4127, -1.0052999, 1.97845, 0.33279997, -0.067, -0.30348], [0.13690001, -0.17375, -0.17889997]]]),
        KerasTrajectory(optimizer: "SGD", arguments: ["learning_rate": .float(0.1), "momentum": .float(0.9), "nesterov": .bool(true)], variables: 2, afterStep: [
            [[0.443, -1.117, 1.9905, 0.52199996, 0.0, -0.2962], [0.176, -0.2475, -0.12099999]],
            [[0.4377, -0.96529996, 1.94845, 0.27279994, -0.057000004, -0.29648], [0.1419, -0.15375, -0.2889]],
            [[0.37643, -0.94977, 1.985605, 0.23451994, -0.10030001, -0.309132], [0.13321, -0.161375, -0.18600997]]]),
        KerasTrajectory(optimizer: "RMSprop", arguments: [:], variables: 2, afterStep: [
            [[0.49683774, -1.2468377, 1.9968383, 0.74683774, 0.0, -0.29684168], [0.10316227, -0.20316225, 0.046837725]],
            [[0.497886, -1.2449356, 1.9937614, 0.74501956, -0.0031622604, -0.2983145], [0.101018295, -0.2002214, 0.045239717]],
            [[0.49580556, -1.2463661, 1.9964128, 0.7463281, -0.0042105396, -0.30135083], [0.100697115, -0.20120361, 0.047645215]]]),
        KerasTrajectory(optimizer: "RMSprop", arguments: ["learning_rate": .float(0.01), "momentum": .float(0.5)], variables: 2, afterStep: [
            [[0.4683774, -1.2183772, 1.9683836, 0.71837723, 0.0, -0.2684167], [0.13162267, -0.23162253, 0.018377244]],
            [[0.4630489, -1.183545, 1.9218065, 0.68438405, -0.031622604, -0.26735324], [0.12599431, -0.21802524, -0.013414197]],
            [[0.43958026, -1.1804338, 1.9250317, 0.680473, -0.057916693, -0.29718462], [0.11996834, -0.22104864, -0.005254928]]]),
        KerasTrajectory(optimizer: "RMSprop", arguments: ["learning_rate": .float(0.01), "centered": .bool(true)], variables: 2, afterStep: [
            [[0.46666688, -1.2166667, 1.9666741, 0.7166667, 0.0, -0.26671287], [0.13333322, -0.23333304, 0.016666688]],
            [[0.4773202, -1.1956, 1.9334552, 0.6965568, -0.03333313, -0.2815444], [0.111893125, -0.20341477, -0.0009298846]],
            [[0.4552369, -1.2102664, 1.9600347, 0.7100301, -0.044706244, -0.31310084], [0.10868022, -0.21325928, 0.023128694]]]),
        KerasTrajectory(optimizer: "RMSprop", arguments: ["learning_rate": .float(0.01), "rho": .float(0.8), "momentum": .float(0.3), "centered": .bool(true), "epsilon": .float(0.001)], variables: 2, afterStep: [
            [[0.4758253, -1.225158, 1.986637, 0.7250541, 0.0, -0.29386863], [0.12452558, -0.22383657, 0.025095897]],
            [[0.47633067, -1.2005004, 1.9588858, 0.701085, -0.024174688, -0.2950685], [0.116394706, -0.20930865, 0.003254475]],
            [[0.45938393, -1.204297, 1.9694387, 0.7042823, -0.040274225, -0.31158498], [0.11149692, -0.21230124, 0.014405686]]]),
        KerasTrajectory(optimizer: "Adam", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.4000017, -1.1500012, 1.900007, 0.65000093, 0.0, -0.20001648], [0.19999856, -0.29999807, -0.049998973]],
            [[0.35998064, -1.0522205, 1.8115716, 0.5529669, -0.07441215, -0.17338681], [0.20139898, -0.25706458, -0.14471674]],
            [[0.29608056, -1.0106455, 1.8255256, 0.50827664, -0.1491887, -0.2279818], [0.19648913, -0.24414213, -0.14806767]]]),
        KerasTrajectory(optimizer: "Adam", arguments: ["learning_rate": .float(0.1), "amsgrad": .bool(true)], variables: 2, afterStep: [
            [[0.4000017, -1.1500012, 1.900007, 0.65000093, 0.0, -0.20001648], [0.19999856, -0.29999807, -0.049998973]],
            [[0.35998064, -1.0522205, 1.8115716, 0.5529669, -0.07441215, -0.17338681], [0.20139898, -0.25706458, -0.14471674]],
            [[0.29608056, -1.0106455, 1.8255256, 0.50827664, -0.1491887, -0.2279818], [0.19648913, -0.24414213, -0.14806767]]]),
        KerasTrajectory(optimizer: "AdamW", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.39980173, -1.1495012, 1.899207, 0.64970094, 0.0, -0.19989647], [0.19995855, -0.29991806, -0.050018974]],
            [[0.35962075, -1.0512607, 1.8100119, 0.552407, -0.07441215, -0.17318684], [0.20127898, -0.2568646, -0.14471672]],
            [[0.2955768, -1.0092653, 1.823242, 0.5074958, -0.14915894, -0.22771256], [0.19628862, -0.2438394, -0.14800976]]]),
        KerasTrajectory(optimizer: "AdamW", arguments: ["learning_rate": .float(0.1), "weight_decay": .float(0.5), "beta_1": .float(0.8), "epsilon": .float(0.0001)], variables: 2, afterStep: [
            [[0.3760437, -1.0879503, 1.805949, 0.61276346, 0.0, -0.19865328], [0.194215, -0.28875026, -0.052149236]],
            [[0.32279623, -0.93708795, 1.6255882, 0.48644787, -0.0777277, -0.1702491], [0.18009579, -0.22620657, -0.14236788]],
            [[0.24340177, -0.8568172, 1.5651817, 0.42547303, -0.1494033, -0.2220953], [0.16130666, -0.20242845, -0.12942003]]]),
        KerasTrajectory(optimizer: "Adagrad", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.4311753, -1.1588677, 1.9843826, 0.65330124, 0.0, -0.29368806], [0.17844644, -0.26201737, -0.04434562]],
            [[0.45353597, -1.1043133, 1.9314014, 0.5991184, -0.06882471, -0.29684246], [0.121854804, -0.17901164, -0.090769455]],
            [[0.404741, -1.1443132, 1.9936185, 0.6367658, -0.09118538, -0.3184039], [0.11379658, -0.20567831, -0.01931677]]]),
        KerasTrajectory(optimizer: "Adagrad", arguments: ["learning_rate": .float(0.1), "initial_accumulator_value": .float(0.5), "epsilon": .float(0.001)], variables: 2, afterStep: [
            [[0.4609764, -1.1796829, 1.9929535, 0.66386724, 0.0, -0.29717553], [0.14919934, -0.23330376, -0.028603356]],
            [[0.47387558, -1.1347996, 1.9658247, 0.6140711, -0.03902362, -0.29858762], [0.109658256, -0.17086808, -0.06862257]],
            [[0.443184, -1.1685936, 2.0035167, 0.64905787, -0.05192282, -0.30842435], [0.10401852, -0.1912434, -0.0025418922]]]),
        KerasTrajectory(optimizer: "Nadam", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.39372122, -1.1437212, 1.8937215, 0.6437212, 0.0, -0.19372177], [0.17354982, -0.2735498, -0.023549829]],
            [[0.41891408, -1.0790662, 1.7938434, 0.5816191, -0.10115529, -0.23255777], [0.120054424, -0.19405448, -0.07265113]],
            [[0.35316476, -1.1115019, 1.8709471, 0.61018574, -0.14076613, -0.32721913], [0.110807404, -0.21899351, -0.0065990686]]]),
        KerasTrajectory(optimizer: "Nadam", arguments: ["learning_rate": .float(0.1)], variables: 3, afterStep: [
            [[0.39372122, -1.1437212, 1.8937215, 0.6437212, 0.0, -0.19372177], [0.17354982, -0.2735498, -0.023549829], [1.4356172, -0.43561724]],
            [[0.41403595, -1.0896306, 1.8107736, 0.591736, -0.083860755, -0.22537975], [0.124563694, -0.2005629, -0.06892273], [1.4550748, -0.5102187]],
            [[0.35086766, -1.1205775, 1.8846709, 0.61896765, -0.122023635, -0.3162148], [0.115741804, -0.22426817, -0.006035425], [1.4102002, -0.5658056]]]),
        KerasTrajectory(optimizer: "SGD", arguments: ["learning_rate": .float(0.1), "clipnorm": .float(0.5)], variables: 2, afterStep: [
            [[0.4894536, -1.2253917, 1.9982423, 0.7078144, 0.0, -0.29929692], [0.119682714, -0.2123017, 0.0057138987]],
            [[0.49438003, -1.2007598, 1.9883895, 0.66840315, -0.014779222, -0.29978955], [0.0992355, -0.17724933, -0.023496414]],
            [[0.47930336, -1.2248825, 2.0064814, 0.70458716, -0.020809889, -0.30401102], [0.097001664, -0.18618467, 0.025647962]]]),
        KerasTrajectory(optimizer: "SGD", arguments: ["learning_rate": .float(0.1), "global_clipnorm": .float(1.0)], variables: 2, afterStep: [
            [[0.48283723, -1.2099535, 1.9971396, 0.6813489, 0.0, -0.29885584], [0.122883685, -0.2143023, -0.001488287]],
            [[0.49036944, -1.1722925, 1.9820751, 0.6210911, -0.022596667, -0.29960907], [0.09652091, -0.16910897, -0.039149396]],
            [[0.47242004, -1.2010115, 2.0036144, 0.6641697, -0.029776433, -0.3046349], [0.092931025, -0.1834685, 0.039828032]]]),
        KerasTrajectory(optimizer: "Adam", arguments: ["learning_rate": .float(0.1), "clipvalue": .float(0.25)], variables: 2, afterStep: [
            [[0.40000194, -1.1500019, 1.900007, 0.65000194, 0.0, -0.20001648], [0.19999808, -0.29999807, -0.04999807]],
            [[0.3654421, -1.0500038, 1.8115716, 0.5500038, -0.074411996, -0.17338681], [0.19473502, -0.294735, -0.14999618]],
            [[0.302386, -1.0238048, 1.8173884, 0.52380484, -0.15155011, -0.2279818], [0.18175513, -0.3226651, -0.17619514]]]),
        KerasTrajectory(optimizer: "SGD", arguments: ["learning_rate": .float(0.1), "momentum": .float(0.5), "weight_decay": .float(0.2)], variables: 2, afterStep: [
            [[0.46, -1.155, 1.955, 0.615, 0.0, -0.292], [0.13800001, -0.22100002, -0.040999994]],
            [[0.4458, -1.0468999, 1.8934, 0.46269998, -0.030000001, -0.28616], [0.12024002, -0.16908002, -0.13518]],
            [[0.409384, -1.0234618, 1.8742819, 0.44344598, -0.054400004, -0.28743678], [0.10533522, -0.16194843, -0.06997638]]])
    ]

    @Test(arguments: trajectories)
    func matchesKerasWeightsAfterEachStep(_ trajectory: KerasTrajectory) throws {
        let parameters = OptimizerParityTests.parameters(trajectory.variables)
        let optimizer = try TrainingFixtures.optimizer(trajectory.spec, parameters: parameters)
        for step in 0..<3 {
            OptimizerParityTests.setGradients(parameters, step: step)
            optimizer.step()
            for (k, parameter) in parameters.enumerated() {
                let ours = parameter.value.array
                for (a, b) in zip(ours, trajectory.afterStep[step][k]) {
                    #expect(TrainingFixtures.close(Double(a), Double(b)),
                            "step \(step + 1) \(parameter.name): \(ours) vs Keras \(trajectory.afterStep[step][k])")
                }
            }
        }
    }

    // MARK: embedding tables

    /// An embedding table [4, 2] whose Keras gradient is IndexedSlices (rows 0, 2, 0 / 2, 3 / 0, 0, 1 each
    /// step; absent rows 1 and 3 at first), beside a dense bias with gradient [0.5, −0.25]; recorded by
    /// /work/probe/helperC/record_sparse.py. Here the table's gradient is dense, duplicates summed.
    static let tableGradients: [[Float]] = [
        [0.35000002, -0.71999997, 0.0, 0.0, 1.2, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, -0.1, -0.5, 0.2, 0.8],
        [-0.050000012, -0.20000002, 0.1, 0.07, 0.0, 0.0, 0.0, 0.0],
    ]

    static let tableTrajectories: [KerasTrajectory] = [
        KerasTrajectory(optimizer: "SGD", arguments: ["learning_rate": .float(0.1), "momentum": .float(0.9), "nesterov": .bool(true)], variables: 2, afterStep: [
            [[0.4335, -1.1132, 2.0, 0.75, -0.22800002, -0.3, 0.1, -0.2], [0.0050000027, -0.1525]],
            [[0.40515, -1.0548799, 2.0, 0.75, -0.30620003, -0.205, 0.062, -0.352], [-0.13049999, -0.084750004]],
            [[0.389135, -0.96439195, 1.9810001, 0.7367, -0.38558003, -0.1645, 0.0458, -0.4168], [-0.30245, 0.0012249947]]]),
        KerasTrajectory(optimizer: "SGD", arguments: ["learning_rate": .float(0.1), "momentum": .float(0.9)], variables: 2, afterStep: [
            [[0.465, -1.178, 2.0, 0.75, -0.120000005, -0.3, 0.1, -0.2], [0.05, -0.175]],
            [[0.4335, -1.1132, 2.0, 0.75, -0.21800001, -0.25, 0.08, -0.28], [-0.044999998, -0.1275]],
            [[0.41015, -1.0348799, 1.99, 0.743, -0.30620003, -0.205, 0.062, -0.352], [-0.1805, -0.05975]]]),
        KerasTrajectory(optimizer: "RMSprop", arguments: ["learning_rate": .float(0.01), "momentum": .float(0.5), "centered": .bool(true)], variables: 2, afterStep: [
            [[0.46666682, -1.2166667, 2.0, 0.75, -0.03333332, -0.3, 0.1, -0.2], [0.066666745, -0.16666697]],
            [[0.45000023, -1.2, 2.0, 0.75, -0.047125135, -0.26666677, 0.06666713, -0.2333333], [0.024509512, -0.124509946]],
            [[0.44676277, -1.1816487, 1.9666685, 0.71667045, -0.05402104, -0.25000015, 0.050000697, -0.24999996], [-0.019067477, -0.080933124]]]),
        KerasTrajectory(optimizer: "Adam", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.40000156, -1.150001, 2.0, 0.75, -0.09999906, -0.3, 0.1, -0.2], [1.3113022e-06, -0.10000193]],
            [[0.33299702, -1.0829962, 2.0, 0.75, -0.16058965, -0.22558755, 0.025588244, -0.27441263], [-0.09999723, -3.8295984e-06]],
            [[0.2907665, -1.015981, 1.9361209, 0.68612176, -0.20742665, -0.16806613, -0.031932626, -0.33193418], [-0.1999965, 0.09999508]]]),
        KerasTrajectory(optimizer: "Adam", arguments: ["learning_rate": .float(0.1), "amsgrad": .bool(true)], variables: 2, afterStep: [
            [[0.40000156, -1.150001, 2.0, 0.75, -0.09999906, -0.3, 0.1, -0.2], [1.3113022e-06, -0.10000193]],
            [[0.33303052, -1.0830297, 2.0, 0.75, -0.16058965, -0.22558755, 0.025588244, -0.27441263], [-0.09999723, -3.8295984e-06]],
            [[0.2908, -1.0160145, 1.9361209, 0.68612176, -0.20740321, -0.1680949, -0.031903863, -0.33190542], [-0.1999965, 0.09999508]]]),
        KerasTrajectory(optimizer: "AdamW", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.39980155, -1.1495011, 1.9992, 0.7497, -0.09999906, -0.29988, 0.09996, -0.19992], [-3.8690865e-05, -0.09992193]],
            [[0.33263707, -1.0820365, 1.9984003, 0.74940014, -0.16054964, -0.22534758, 0.025508255, -0.27425265], [-0.10003722, 0.0001161471]],
            [[0.2902735, -1.0145884, 1.9337218, 0.68522215, -0.20732242, -0.16773602, -0.03202282, -0.3316645], [-0.19999647, 0.10011501]]]),
        KerasTrajectory(optimizer: "Adagrad", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.42580014, -1.1584417, 2.0, 0.75, -0.09669876, -0.3, 0.1, -0.2], [0.015484586, -0.13798265]],
            [[0.42580014, -1.1584417, 2.0, 0.75, -0.088666566, -0.21548459, 0.046547774, -0.2929981], [-0.049065128, -0.085278034]],
            [[0.43634108, -1.1337935, 1.9698489, 0.72838724, -0.088666566, -0.21548459, 0.046547774, -0.2929981], [-0.10329774, -0.038652796]]]),
        KerasTrajectory(optimizer: "Nadam", arguments: ["learning_rate": .float(0.1)], variables: 2, afterStep: [
            [[0.39372125, -1.1437212, 2.0, 0.75, -0.10627878, -0.3, 0.1, -0.2], [0.026450187, -0.12645021]],
            [[0.3865429, -1.1365428, 2.0, 0.75, -0.10502767, -0.1988447, -0.0011552572, -0.30115533], [-0.04121589, -0.05878415]],
            [[0.39334404, -1.1024681, 1.8996863, 0.64968634, -0.111786686, -0.19054379, -0.009456166, -0.30945623], [-0.108266905, 0.008266851]]])
    ]

    @Test(arguments: tableTrajectories)
    func embeddingTablesMatchKerasSparseUpdates(_ trajectory: KerasTrajectory) throws {
        let table = Parameter(name: "embedding/embeddings", shape: [4, 2], trainable: true, initializer: "uniform")
        let bias = Parameter(name: "dense/bias", shape: [2], trainable: true, initializer: "zeros")
        for (i, value) in [Float(0.5), -1.25, 2.0, 0.75, 0.0, -0.3, 0.1, -0.2].enumerated() { table.value[i] = value }
        bias.value[0] = 0.1
        bias.value[1] = -0.2
        let optimizer = try TrainingFixtures.optimizer(trajectory.spec, parameters: [table, bias])
        for step in 0..<3 {
            for (i, value) in Self.tableGradients[step].enumerated() { table.gradient[i] = value }
            bias.gradient[0] = 0.5
            bias.gradient[1] = -0.25
            optimizer.step()
            for (k, parameter) in [table, bias].enumerated() {
                let ours = parameter.value.array
                for (a, b) in zip(ours, trajectory.afterStep[step][k]) {
                    #expect(TrainingFixtures.close(Double(a), Double(b)),
                            "step \(step + 1) \(parameter.name): \(ours) vs Keras \(trajectory.afterStep[step][k])")
                }
            }
        }
    }
}
