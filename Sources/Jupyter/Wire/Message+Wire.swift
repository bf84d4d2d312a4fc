import JupyterProtocol

extension Message {
    /// The frames to send, signed with `signer`.
    public func wire(signedBy signer: Signer) -> WireMessage {
        let headerBytes = header.json.encoded()
        let parentBytes = parentHeader.encoded()
        let metadataBytes = JSON.object(metadata).encoded()
        let contentBytes = content.encoded()
        return WireMessage(
            identities: identities,
            signature: signer.signature(of: [headerBytes, parentBytes, metadataBytes, contentBytes]),
            header: headerBytes, parentHeader: parentBytes, metadata: metadataBytes, content: contentBytes,
            buffers: buffers)
    }
}
