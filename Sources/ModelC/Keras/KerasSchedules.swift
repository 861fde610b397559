/// Learning-rate schedules in Keras files: the `{module, class_name, config, registered_name}`
/// object both Keras 3 and tf_keras 2.13+ serialize an optimizer's schedule `learning_rate` as.
enum KerasSchedules {
    /// The name Keras 3 gives a schedule when none is set (tf_keras leaves it null).
    static func keras3DefaultName(_ className: String) -> String {
        className == "PiecewiseConstantDecay" ? "PiecewiseConstant" : className
    }

    static func config(_ schedule: CompileConfig.Component, flavor: KerasFlavor) -> JSONValue {
        let className = schedule.descriptor.className
        var config: [(String, JSONValue)] = []
        for decl in schedule.descriptor.arguments {
            let value = schedule.arguments[decl.name] ?? .null
            switch (decl.name, value) {
            case ("name", .null):
                config.append(("name", flavor == .keras3 ? .string(keras3DefaultName(className)) : .null))
            case (_, .float(let number)) where ["decay_steps", "warmup_steps"].contains(decl.name) && number == number.rounded() && abs(number) < 1e15:
                // Steps are integers in Keras's configs.
                config.append((decl.name, .int(Int(number))))
            case ("boundaries", .floats(let steps)):
                config.append((decl.name, .array(steps.map { .int(Int($0)) })))
            default:
                config.append((decl.name, KerasConfigWriter.plain(value)))
            }
        }
        return .object([("module", .string("keras.optimizers.schedules")), ("class_name", .string(className)),
                        ("config", .object(config)), ("registered_name", .null)])
    }
}
