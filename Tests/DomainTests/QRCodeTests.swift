import Testing

@testable import Domain

/// The QR encoder against the standard's known values (ISO/IEC 18004 and its worked examples).
@Suite struct QRCodeTests {
    /// The worked example "HELLO WORLD" at 1-M: its 16 data codewords give these 10 of error correction.
    @Test func reedSolomonGivesTheWorkedExamplesCorrection() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(of: data, degree: 10) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    /// The generator of degree 7 is x⁷ + α⁸⁷x⁶ + α²²⁹x⁵ + α¹⁴⁶x⁴ + α¹⁴⁹x³ + α²³⁸x² + α¹⁰²x + α²¹.
    @Test func theGeneratorPolynomialHasTheTabulatedExponents() {
        #expect(ReedSolomon.generator(degree: 7).map { GaloisField.log[Int($0)] } == [87, 229, 146, 149, 238, 102, 21])
    }

    @Test func formatInformationMatchesTheStandardsTable() {
        #expect(QRFormatInformation.formatBits(level: .medium, mask: 0) == 0b101_0100_0001_0010)
        #expect(QRFormatInformation.formatBits(level: .low, mask: 4) == 0b110_0110_0010_1111)
        #expect(QRFormatInformation.formatBits(level: .high, mask: 7) == 0b000_1000_0011_1011)
        // BCH(15,5): any two of the 32 words differ in at least 7 bits.
        let words = QRErrorCorrection.allCases.flatMap { level in
            (0..<8).map { QRFormatInformation.formatBits(level: level, mask: $0) }
        }
        for (i, a) in words.enumerated() {
            for b in words[(i + 1)...] { #expect((a ^ b).nonzeroBitCount >= 7) }
        }
    }

    @Test func versionInformationMatchesTheStandardsTable() {
        #expect(QRFormatInformation.versionBits(QRVersion(number: 6)) == nil)
        #expect(QRFormatInformation.versionBits(QRVersion(number: 7)) == 0x07C94)
        #expect(QRFormatInformation.versionBits(QRVersion(number: 10)) == 0x0A4D3)
        #expect(QRFormatInformation.versionBits(QRVersion(number: 40)) == 0x28C69)
    }

    /// Byte capacities at level M of versions 1 to 10, and the codewords and alignment of a few versions.
    @Test func versionsHoldTheTabulatedBytes() {
        #expect(
            (1...10).map { QRVersion(number: $0).byteCapacity(.medium) }
                == [14, 26, 42, 62, 84, 106, 122, 152, 180, 213])
        #expect(QRVersion(number: 1).codewords == 26)
        #expect(QRVersion(number: 7).codewords == 196)
        #expect(QRVersion(number: 40).codewords == 3706)
        #expect(QRVersion(number: 1).alignmentCentres == [])
        #expect(QRVersion(number: 2).alignmentCentres == [6, 18])
        #expect(QRVersion(number: 7).alignmentCentres == [6, 22, 38])
        #expect(QRVersion(number: 32).alignmentCentres == [6, 34, 60, 86, 112, 138])
        #expect(QRVersion.smallest(holding: 14, level: .medium)?.number == 1)
        #expect(QRVersion.smallest(holding: 15, level: .medium)?.number == 2)
        #expect(QRVersion.smallest(holding: 2332, level: .medium) == nil)
    }

    /// "hello" at 1-M: mode, count, bytes, terminator, then the pad bytes in turn.
    @Test func dataCodewordsFollowTheByteMode() {
        let codewords = QRCode.dataCodewords(Array("hello".utf8), version: QRVersion(number: 1), level: .medium)
        #expect(
            codewords == [
                0x40, 0x56, 0x86, 0x56, 0xC6, 0xC6, 0xF0, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC,
            ])
        // From version 10 the count takes 16 bits.
        let long = QRCode.dataCodewords(
            [UInt8](repeating: 0x41, count: 200), version: QRVersion(number: 10), level: .medium)
        #expect(Array(long.prefix(3)) == [0x40, 0x0C, 0x84])
    }

    @Test func theMatrixHasItsFunctionPatternsAndFormat() throws {
        for text in ["http://127.0.0.1:8080/tra-cuu?ma=000.00.19.H56-260129-0001", String(repeating: "x", count: 130)] {
            let code = try #require(QRCode(text: text))
            let n = code.size
            #expect(n == 17 + 4 * code.version.number)
            // Finders: a dark ring, a light ring, a dark 3 × 3 core, and the light separator.
            for (left, top) in [(0, 0), (n - 7, 0), (0, n - 7)] {
                for dy in 0..<7 {
                    for dx in 0..<7 {
                        let ring = max(abs(dx - 3), abs(dy - 3))
                        #expect(code[left + dx, top + dy] == (ring != 2))
                    }
                }
            }
            for i in 8..<n - 8 {
                #expect(code[i, 6] == (i % 2 == 0))
                #expect(code[6, i] == (i % 2 == 0))
            }
            #expect(code[8, n - 8])
            // Both copies of the format information name the level and the mask chosen.
            let format = QRFormatInformation.formatBits(level: code.level, mask: code.mask)
            var first = 0
            var second = 0
            let firstCopy = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
            let secondCopy = (0..<8).map { (n - 1 - $0, 8) } + (8..<15).map { (8, n - 15 + $0) }
            for (i, (x, y)) in firstCopy.enumerated() where code[x, y] { first |= 1 << i }
            for (i, (x, y)) in secondCopy.enumerated() where code[x, y] { second |= 1 << i }
            #expect(first == format && second == format)
            if let bits = QRFormatInformation.versionBits(code.version) {
                for i in 0..<18 {
                    #expect(code[n - 11 + i % 3, i / 3] == (bits >> i & 1 == 1))
                    #expect(code[i / 3, n - 11 + i % 3] == (bits >> i & 1 == 1))
                }
            }
        }
    }

    /// The mask chosen has the lowest penalty of the eight, and forcing another gives another matrix.
    @Test func theMaskOfLowestPenaltyIsChosen() throws {
        let bytes = Array("https://dichvucong.example.vn/tra-cuu?ma=000.30.01.H56-251231-12345".utf8)
        let chosen = try #require(QRCode(bytes: bytes))
        let penalties = try (0..<8).map { try #require(QRCode(bytes: bytes, mask: $0)).matrix.penalty }
        #expect(chosen.matrix.penalty == penalties.min())
        #expect(chosen.mask == penalties.firstIndex(of: penalties.min()!))
        #expect(try #require(QRCode(bytes: bytes, mask: (chosen.mask + 1) % 8)) != chosen)
    }

    @Test func penaltyRulesCountRunsAndFinderLikePatterns() {
        #expect(QRMatrix.runPenalty([true, true, true, true]) == 0)
        #expect(QRMatrix.runPenalty([true, true, true, true, true]) == 3)
        #expect(QRMatrix.runPenalty([false, false, false, false, false, false, false, true]) == 5)
        let finder: [Bool] = [true, false, true, true, true, false, true]
        #expect(QRMatrix.finderLikeCount([false, false, false, false] + finder + [true]) == 1)
        #expect(QRMatrix.finderLikeCount(finder) == 1, "the edge is quiet zone: light")
        #expect(QRMatrix.finderLikeCount([true, false] + finder + [false, true]) == 0)
    }

    @Test func anSVGDrawsEveryDarkModuleWithAQuietZone() throws {
        let code = try #require(QRCode(text: "MotCua"))
        let svg = code.svg(label: "Mã QR \"tra cứu\" <hồ sơ>")
        let side = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("aria-label=\"Mã QR &quot;tra cứu&quot; &lt;hồ sơ&gt;\""))
        // Every run's rectangle starts on a dark module; the runs cover every dark module once.
        let path = try #require(svg.split(separator: " d=\"").last?.split(separator: "\"").first)
        let runs = path.split(separator: "M")
        var covered = 0
        for run in runs {
            let numbers = run.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            #expect(code[numbers[0] - 4, numbers[1] - 4])
            covered += numbers[2]
        }
        let dark = (0..<code.size).flatMap { y in (0..<code.size).map { x in code[x, y] } }.filter { $0 }.count
        #expect(covered == dark)
        #expect(QRCode(bytes: [UInt8](repeating: 0, count: 2332)) == nil, "past version 40 at M")
    }
}
