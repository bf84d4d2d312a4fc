import JupyterProtocol
/// The content of kernel_info_reply (messaging.rst, "Kernel info"), the same on shell and control.
enum KernelInfo {
    static func content(_ info: InterpreterInfo) -> JSON {
        [
            "status": "ok",
            "protocol_version": .string(Header.protocolVersion),
            "implementation": .string(info.implementation),
            "implementation_version": .string(info.implementationVersion),
            "language_info": [
                "name": .string(info.languageName),
                "version": .string(info.languageVersion),
                "mimetype": .string(info.mimetype),
                "file_extension": .string(info.fileExtension),
                "pygments_lexer": .string(info.pygmentsLexer),
                "codemirror_mode": .string(info.codemirrorMode),
            ],
            "banner": .string(info.banner),
            "help_links": .array(info.helpLinks.map { ["text": .string($0.text), "url": .string($0.url)] }),
            "debugger": false,
            "supported_features": [],
        ]
    }
}
