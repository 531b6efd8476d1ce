import Domain
import Foundation
import Testing

/// Mẫu 04 as printed: every field of the form.
@Suite struct ApologyLetterTextTests {
    static func t(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func theLetterCarriesEveryFieldOfTheForm() {
        let letter = ApologyLetter(
            number: "7/2026/XL-000.00.19.H56", reason: "Cần xác minh thêm",
            newDueAt: Self.t("2026-11-24T17:00:00+07:00"),
            issuedAt: Self.t("2026-11-19T17:00:00+07:00"), timely: false)
        let text = ApologyLetterText.render(
            .init(
                letter: letter, issuingUnitName: "UBND xã Bình Phước",
                dossierCode: "000.00.19.H56-261116-0001", applicantName: "Nguyễn Văn A",
                procedureName: "Đăng ký thành lập hộ kinh doanh",
                receivedAt: Self.t("2026-11-16T09:00:00+07:00"),
                originalDueAt: Self.t("2026-11-19T17:00:00+07:00")))
        for field in [
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "UBND XÃ BÌNH PHƯỚC", "Số: 7/2026/XL-000.00.19.H56",
            "Ngày 19 tháng 11 năm 2026", "Kính gửi: Nguyễn Văn A", "Mã hồ sơ:           000.00.19.H56-261116-0001",
            "Thủ tục:            Đăng ký thành lập hộ kinh doanh",
            "Ngày tiếp nhận:     09 giờ 00 phút, ngày 16/11/2026",
            "Hẹn trả kết quả:    17 giờ 00 phút, ngày 19/11/2026", "Lý do: Cần xác minh thêm",
            "vào 17 giờ 00 phút, ngày 24/11/2026", "do hệ thống phát hành",
        ] {
            #expect(text.contains(field), "\(field)")
        }
        #expect(!text.contains("051"), "no personal ID")
    }

    /// A dossier received under Decree 118/2025 gets Circular 03/2025's Mẫu 04, its legal basis and wording.
    @Test func theRegimeInForceAtReceiptDecidesTheForm() throws {
        let catalog = CatalogSnapshot(try Catalog.parse(DefaultCatalog.data()))
        let letter = ApologyLetter(
            number: "1/2026/XL-000.00.19.H56", reason: "Cần xác minh thêm",
            newDueAt: Self.t("2026-11-24T17:00:00+07:00"), issuedAt: Self.t("2026-11-19T17:00:00+07:00"), timely: true)
        func render(_ received: String) -> String {
            let receivedAt = Self.t(received)
            return ApologyLetterText.render(
                .init(
                    letter: letter, issuingUnitName: "UBND xã Bình Phước", dossierCode: "c", applicantName: "A",
                    procedureName: "P", receivedAt: receivedAt, originalDueAt: receivedAt,
                    regime: catalog.regime(on: VietnamTime.local(receivedAt).date)))
        }
        let old = render("2023-09-05T09:00:00+07:00")
        #expect(
            old.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
                && old.contains("Mẫu số 04 (Thông tư 01/2018/TT-VPCP)"))
        #expect(old.contains("Nghị định số 61/2018/NĐ-CP") && !old.contains("gia hạn"))
        let new = render("2026-11-16T09:00:00+07:00")
        #expect(
            new.contains("PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
                && new.contains("Mẫu số 04 (Thông tư 03/2025/TT-VPCP)"))
        #expect(new.contains("Nghị định số 118/2025/NĐ-CP") && new.contains("đề nghị gia hạn thời gian giải quyết"))
        // The last minute of 30/6/2025 is still the old regime; the first of 1/7 the new.
        #expect(render("2025-06-30T23:59:00+07:00").contains("01/2018/TT-VPCP"))
        #expect(render("2025-07-01T00:00:00+07:00").contains("03/2025/TT-VPCP"))
    }
}

/// Letter numbers: in sequence per issuing unit and year, whoever wrote the letter.
@Suite struct ApologyNumberTests {
    @Test func eachUnitAndYearCountsOnFromWhereItWas() {
        let letters = [
            (code: "a", unitCode: "000.00.19.H56", year: 2026), (code: "b", unitCode: "000.00.21.H06", year: 2026),
            (code: "c", unitCode: "000.00.19.H56", year: 2026), (code: "d", unitCode: "000.00.19.H56", year: 2027),
        ]
        let steps = LetterNumbering.sequenceSteps(letters)
        #expect(steps.map(\.count) == [2, 1, 1])
        // The sequences after the batch moved them: H56 2026 had 5 letters before, the others none.
        let last: [LetterNumbering.Sequence: Int] = [
            .init(unitCode: "000.00.19.H56", year: 2026): 7,
            .init(unitCode: "000.00.19.H56", year: 2027): 1,
            .init(unitCode: "000.00.21.H06", year: 2026): 1,
        ]
        let numbers = LetterNumbering.assign(letters, last: last)
        #expect(numbers["a"]?.number == "6/2026/XL-000.00.19.H56")
        #expect(numbers["c"]?.number == "7/2026/XL-000.00.19.H56")
        #expect(numbers["b"]?.number == "1/2026/XL-000.00.21.H06")
        #expect(numbers["d"]?.number == "1/2027/XL-000.00.19.H56", "a new year starts again at 1")
    }
}
