// The engine's families (data, layers, training, inspection) arrive with the engine.
extension Builtins {
    static var data: [Builtin] { [] }
    static var layers: [Builtin] { [] }
    static var training: [Builtin] { [] }
    static var inspection: [Builtin] { [] }
}
