/// A QR version (1…40, 17 + 4 × version modules a side) and its block structure (ISO/IEC 18004, table 9).
public struct QRVersion: Sendable, Equatable, Comparable {
    public let number: Int

    public static let all = (1...40).map(QRVersion.init(number:))

    init(number: Int) {
        precondition((1...40).contains(number), "QR versions are 1 to 40")
        self.number = number
    }

    public static func < (a: QRVersion, b: QRVersion) -> Bool { a.number < b.number }

    /// Modules a side.
    public var size: Int { 17 + 4 * number }

    /// Modules left for codewords (data and error correction) once every function pattern is drawn.
    var rawDataModules: Int {
        var result = (16 * number + 128) * number + 64
        if number >= 2 {
            let aligned = number / 7 + 2
            result -= (25 * aligned - 10) * aligned - 55
            if number >= 7 { result -= 36 }
        }
        return result
    }

    var codewords: Int { rawDataModules / 8 }

    func blocks(_ level: QRErrorCorrection) -> Int { Self.blockCounts[level.rawValue][number] }

    func eccPerBlock(_ level: QRErrorCorrection) -> Int { Self.eccCodewordsPerBlock[level.rawValue][number] }

    /// Data codewords at a level: all codewords less the error correction of every block.
    public func dataCodewords(_ level: QRErrorCorrection) -> Int { codewords - blocks(level) * eccPerBlock(level) }

    /// Bits of the byte mode's character count: 8 up to version 9, then 16.
    var byteCountBits: Int { number <= 9 ? 8 : 16 }

    /// How many bytes fit in byte mode at a level: 4 bits of mode, the count, then the bytes.
    public func byteCapacity(_ level: QRErrorCorrection) -> Int { (dataCodewords(level) * 8 - 4 - byteCountBits) / 8 }

    /// The smallest version that holds `count` bytes at `level`, or nil past version 40.
    public static func smallest(holding count: Int, level: QRErrorCorrection) -> QRVersion? {
        all.first { $0.byteCapacity(level) >= count }
    }

    /// The centres of the alignment patterns along either axis.
    var alignmentCentres: [Int] {
        guard number > 1 else { return [] }
        let count = number / 7 + 2
        let step = number == 32 ? 26 : (number * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<count - 1).map { size - 7 - $0 * step }.reversed()
    }

    // Index 0 unused; rows L, M, Q, H.
    static let eccCodewordsPerBlock: [[Int]] = [
        [
            -1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28,
            30,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28,
            28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            -1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            -1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    static let blockCounts: [[Int]] = [
        [
            -1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17,
            18, 19, 19, 20, 21, 22, 24, 25,
        ],
        [
            -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
            29,
            31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        [
            -1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38,
            40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        [
            -1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42,
            45,
            48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]
}
