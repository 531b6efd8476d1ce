/// Arithmetic in GF(256) with the QR code's field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), by tables of
/// powers of α = 2 and their logarithms.
enum GaloisField {
    /// αⁱ for i in 0..<255, then repeated, so a sum of two logarithms indexes it without a modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            table[i + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0 || b == 0 ? 0 : exp[log[Int(a)] + log[Int(b)]]
    }
}
