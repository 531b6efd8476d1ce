/// The modules of a QR code being drawn: the function patterns (finders, separators, timing, alignment, the
/// dark module, the reserved format and version areas), then the codewords in the zigzag around them.
struct QRMatrix: Sendable, Equatable {
    let version: QRVersion
    let size: Int
    var modules: [Bool]
    /// Modules of the function patterns, which masks and codewords leave alone.
    var isFunction: [Bool]

    init(version: QRVersion) {
        self.version = version
        size = version.size
        modules = Array(repeating: false, count: size * size)
        isFunction = modules
        drawFunctionPatterns()
    }

    subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    private mutating func drawFunctionPatterns() {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinder(centreX: x, centreY: y) }
        let centres = version.alignmentCentres
        for (i, x) in centres.enumerated() {
            for (j, y) in centres.enumerated() {
                let besideFinder =
                    (i == 0 && j == 0) || (i == 0 && j == centres.count - 1) || (i == centres.count - 1 && j == 0)
                if !besideFinder { drawAlignment(centreX: x, centreY: y) }
            }
        }
        // Reserve the format areas now (drawn with each mask), and draw the version information.
        drawFormat(0)
        if let bits = QRFormatInformation.versionBits(version) {
            for i in 0..<18 {
                let dark = bits >> i & 1 == 1
                set(size - 11 + i % 3, i / 3, dark)
                set(i / 3, size - 11 + i % 3, dark)
            }
        }
    }

    /// A finder (7 × 7 rings: dark, light, dark 3 × 3) and its light separator, clipped to the symbol.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let (x, y) = (centreX + dx, centreY + dy)
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                set(x, y, ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignment(centreX: Int, centreY: Int) {
        for dy in -2...2 {
            for dx in -2...2 { set(centreX + dx, centreY + dy, max(abs(dx), abs(dy)) != 1) }
        }
    }

    /// The 15 format bits in both copies, and the dark module beside the lower-left finder.
    mutating func drawFormat(_ bits: Int) {
        let bit = { (i: Int) in bits >> i & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// The codewords, most significant bit first, in two-column strips from the right edge, up then down,
    /// skipping the vertical timing column and every function module.
    mutating func place(_ codewords: [UInt8]) {
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for x in [right, right - 1] where !isFunction[y * size + x] {
                    // Remainder bits past the last codeword stay light.
                    if index < codewords.count * 8 {
                        modules[y * size + x] = codewords[index / 8] >> (7 - index % 8) & 1 == 1
                    }
                    index += 1
                }
            }
            right -= 2
        }
    }
}
