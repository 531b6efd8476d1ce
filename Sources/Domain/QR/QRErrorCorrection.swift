/// How much of a QR code may be lost and still read: about 7 % (L), 15 % (M), 25 % (Q), 30 % (H).
public enum QRErrorCorrection: Int, Sendable, CaseIterable {
    case low = 0
    case medium, quartile, high

    /// The two bits the format information carries for the level (not in the levels' order).
    var formatBits: Int {
        switch self {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }
}
