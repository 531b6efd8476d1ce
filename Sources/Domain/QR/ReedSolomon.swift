/// The error-correction codewords of one QR block: the remainder of the data, as a polynomial over GF(256)
/// shifted up by the degree, divided by the generator (x − α⁰)(x − α¹)…(x − α^(degree−1)).
public enum ReedSolomon {
    /// The generator's coefficients, highest power first, without the leading 1.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            // Multiply by (x − root): shift up and add root × the polynomial.
            for j in 0..<degree {
                coefficients[j] = GaloisField.multiply(coefficients[j], root)
                if j + 1 < degree { coefficients[j] ^= coefficients[j + 1] }
            }
            root = GaloisField.multiply(root, 2)
        }
        return coefficients
    }

    /// The `degree` error-correction codewords of `data`.
    public static func remainder(of data: [UInt8], degree: Int) -> [UInt8] {
        let divisor = generator(degree: degree)
        var result = [UInt8](repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ result[0]
            result.removeFirst()
            result.append(0)
            for j in 0..<degree { result[j] ^= GaloisField.multiply(divisor[j], factor) }
        }
        return result
    }
}
