import JupyterProtocol

/// What a kind of widget is to the front end: the model and view it names (ipywidgets 8,
/// `packages/schema/jupyterwidgetmodels.v8.md`), its attributes with their defaults, and
/// how its state is brought back in range after a change (a slider clamps its value).
public struct WidgetModel: Sendable {
    public let name: String
    public let module: String
    public let moduleVersion: String
    /// nil for models without a view (a link).
    public let viewName: String?
    public let viewModule: String
    public let viewModuleVersion: String
    public let traits: [String: Trait]
    /// Brings a state back in range (clamping); run after every change from either side.
    let normalize: @Sendable (inout [String: JSON]) -> Void

    public init(
        name: String, module: String = WidgetModel.controls, moduleVersion: String = WidgetModel.controlsVersion,
        viewName: String?, viewModule: String? = nil, viewModuleVersion: String? = nil,
        traits: [String: Trait], normalize: @escaping @Sendable (inout [String: JSON]) -> Void = { _ in }
    ) {
        self.name = name
        self.module = module
        self.moduleVersion = moduleVersion
        self.viewName = viewName
        self.viewModule = viewModule ?? module
        self.viewModuleVersion = viewModuleVersion ?? moduleVersion
        self.traits = traits
        self.normalize = normalize
    }

    /// ipywidgets 8's controls and their module version (1.x is "not registered" in JupyterLab 4).
    public static let controls = "@jupyter-widgets/controls"
    public static let controlsVersion = "2.0.0"
    public static let base = "@jupyter-widgets/base"
    public static let baseVersion = "2.0.0"

    /// The six keys every state carries, naming the model and the view.
    public var identityState: [String: JSON] {
        [
            "_model_name": .string(name), "_model_module": .string(module),
            "_model_module_version": .string(moduleVersion), "_view_name": viewName.map(JSON.string) ?? .null,
            "_view_module": .string(viewModule), "_view_module_version": .string(viewModuleVersion),
        ]
    }

    /// The defaults of every JSON attribute, with the six identity keys.
    public var defaultState: [String: JSON] {
        var state = identityState
        for (key, trait) in traits where trait.kind != .bytes { state[key] = trait.defaultValue }
        return state
    }
}
