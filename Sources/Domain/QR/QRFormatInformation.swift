/// The BCH-protected words a reader finds before anything else: the format information (level and mask,
/// 15 bits, twice in every code) and, from version 7, the version information (18 bits, twice).
public enum QRFormatInformation {
    /// The 15 format bits: 2 of level and 3 of mask, 10 of BCH(15,5) with 0x537, XOR 0x5412 so that no
    /// format is all light.
    public static func formatBits(level: QRErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version bits: 6 of version and 12 of BCH(18,6) with 0x1F25; nil below version 7.
    public static func versionBits(_ version: QRVersion) -> Int? {
        guard version.number >= 7 else { return nil }
        var remainder = version.number
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version.number << 12 | remainder
    }
}
