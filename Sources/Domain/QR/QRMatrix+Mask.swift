extension QRMatrix {
    /// Whether mask `mask` (0…7) inverts the module at column `x`, row `y`.
    static func inverts(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// The matrix with `mask` over its codeword modules and the format information that names it.
    func masked(_ mask: Int, level: QRErrorCorrection) -> QRMatrix {
        var result = self
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.inverts(mask, x: x, y: y) {
                result.modules[y * size + x].toggle()
            }
        }
        result.drawFormat(QRFormatInformation.formatBits(level: level, mask: mask))
        return result
    }

    /// The standard's penalty (ISO/IEC 18004 §7.8.3): runs of five or more of one colour (N1 = 3, +1 per
    /// module past five), 2 × 2 blocks of one colour (N2 = 3 each), finder-like 1:1:3:1:1 runs with four
    /// light modules on a side (N3 = 40 each), and 10 per 5 % that the dark share strays from half (N4).
    var penalty: Int {
        var score = 0
        let rows = (0..<size).map { y in (0..<size).map { x in self[x, y] } }
        let columns = (0..<size).map { x in (0..<size).map { y in self[x, y] } }
        for line in rows + columns {
            score += Self.runPenalty(line) + 40 * Self.finderLikeCount(line)
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = self[x, y]
                if self[x + 1, y] == colour && self[x, y + 1] == colour && self[x + 1, y + 1] == colour { score += 3 }
            }
        }
        let dark = modules.filter { $0 }.count
        let total = size * size
        // The smallest k with |dark/total − 1/2| ≤ 5k %.
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        return score + 10 * max(0, k)
    }

    static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var run = 1
        for i in 1...line.count {
            if i < line.count && line[i] == line[i - 1] {
                run += 1
            } else {
                if run >= 5 { score += 3 + run - 5 }
                run = 1
            }
        }
        return score
    }

    /// Dark-light-dark×3-light-dark with four light modules before or after it (the symbol's edge counts
    /// as light, being the quiet zone).
    static func finderLikeCount(_ line: [Bool]) -> Int {
        let core: [Bool] = [true, false, true, true, true, false, true]
        let padded = [Bool](repeating: false, count: 4) + line + [Bool](repeating: false, count: 4)
        var count = 0
        for start in 4..<(padded.count - 4 - 6) where Array(padded[start..<start + 7]) == core {
            if padded[start - 4..<start].allSatisfy({ !$0 }) || padded[start + 7..<start + 11].allSatisfy({ !$0 }) {
                count += 1
            }
        }
        return count
    }
}
