/// A QR code (ISO/IEC 18004, model 2) of some bytes in byte mode: the smallest version that holds them at
/// the level asked, Reed–Solomon error correction per block, the mask of the lowest penalty, and the format
/// and version information. Pure: the receipt draws it as SVG (`svg`), nothing is fetched from elsewhere.
public struct QRCode: Sendable, Equatable {
    public let version: QRVersion
    public let level: QRErrorCorrection
    /// The data mask applied (0…7).
    public let mask: Int
    let matrix: QRMatrix

    /// Modules a side, without the quiet zone.
    public var size: Int { matrix.size }

    /// Whether the module in column `x`, row `y` is dark.
    public subscript(x: Int, y: Int) -> Bool { matrix[x, y] }

    /// The code of `text` as UTF-8; nil when it does not fit version 40.
    public init?(text: String, level: QRErrorCorrection = .medium) {
        self.init(bytes: Array(text.utf8), level: level)
    }

    /// - Parameter mask: a mask to use instead of the one with the lowest penalty (for tests).
    public init?(bytes: [UInt8], level: QRErrorCorrection = .medium, mask forced: Int? = nil) {
        guard let version = QRVersion.smallest(holding: bytes.count, level: level) else { return nil }
        let codewords = Self.interleaved(Self.dataCodewords(bytes, version: version, level: level), version, level)
        var matrix = QRMatrix(version: version)
        matrix.place(codewords)
        let candidates = (forced.map { [$0] } ?? Array(0..<8)).map { ($0, matrix.masked($0, level: level)) }
        // The first of the lowest penalty, as the standard's evaluation picks it.
        let chosen = candidates.map { ($0.0, $0.1, $0.1.penalty) }.min { $0.2 < $1.2 }!
        self.version = version
        self.level = level
        self.mask = chosen.0
        self.matrix = chosen.1
    }

    /// Mode 0100, the count, the bytes, up to four zero bits of terminator, zeros to a byte, then the pad
    /// bytes 0xEC 0x11 in turn to the version's data capacity.
    static func dataCodewords(_ bytes: [UInt8], version: QRVersion, level: QRErrorCorrection) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version.byteCountBits)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = version.dataCodewords(level) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// The data split into the version's blocks (the short ones first, one codeword shorter), each followed
    /// by its error correction, then read column by column across the blocks: data first, then correction.
    static func interleaved(_ data: [UInt8], _ version: QRVersion, _ level: QRErrorCorrection) -> [UInt8] {
        let count = version.blocks(level)
        let ecc = version.eccPerBlock(level)
        let shortBlocks = count - version.codewords % count
        let shortData = version.codewords / count - ecc
        var blocks: [(data: [UInt8], ecc: [UInt8])] = []
        var start = 0
        for index in 0..<count {
            let length = shortData + (index < shortBlocks ? 0 : 1)
            let slice = Array(data[start..<start + length])
            blocks.append((slice, ReedSolomon.remainder(of: slice, degree: ecc)))
            start += length
        }
        var result: [UInt8] = []
        for column in 0...shortData {
            for block in blocks where column < block.data.count { result.append(block.data[column]) }
        }
        for column in 0..<ecc {
            for block in blocks { result.append(block.ecc[column]) }
        }
        return result
    }
}

/// Bits appended most significant first, read back as bytes.
struct BitBuffer {
    private(set) var bits: [Bool] = []

    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> shift & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<min(start + 8, bits.count)].enumerated().reduce(UInt8(0)) {
                $0 | ($1.element ? 0x80 >> UInt8($1.offset) : 0)
            }
        }
    }
}
