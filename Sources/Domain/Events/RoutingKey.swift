/// Routing keys of `motcua.events` (CONTRACT.md).
public enum RoutingKey {
    public static let dossierReceived = "dossier.received"
    public static let dossierDigitized = "dossier.digitized"
    public static func action(_ type: String) -> String { "dossier.action.\(type)" }
    public static func payment(_ status: String) -> String { "payment.\(status)" }
}
