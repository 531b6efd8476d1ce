import Foundation
import Shared
import Testing

/// Mẫu 04 as printed: every field of the form.
@Suite struct ApologyLetterTextTests {
    static func t(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func theLetterCarriesEveryFieldOfTheForm() {
        let letter = ApologyView(number: "7/2026/XL-000.00.19.H56", reason: "Cần xác minh thêm", newDueAt: Self.t("2026-11-24T17:00:00+07:00"),
                                 issuedAt: Self.t("2026-11-19T17:00:00+07:00"), timely: false)
        let text = ApologyLetterText.render(.init(letter: letter, issuingUnitName: "UBND xã Bình Phước",
                                                  dossierCode: "000.00.19.H56-261116-0001", applicantName: "Nguyễn Văn A",
                                                  procedureName: "Đăng ký thành lập hộ kinh doanh",
                                                  receivedAt: Self.t("2026-11-16T09:00:00+07:00"),
                                                  originalDueAt: Self.t("2026-11-19T17:00:00+07:00")))
        for field in ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "UBND XÃ BÌNH PHƯỚC", "Số: 7/2026/XL-000.00.19.H56",
                      "Ngày 19 tháng 11 năm 2026", "Kính gửi: Nguyễn Văn A", "Mã hồ sơ:           000.00.19.H56-261116-0001",
                      "Thủ tục:            Đăng ký thành lập hộ kinh doanh",
                      "Ngày tiếp nhận:     09 giờ 00 phút, ngày 16/11/2026",
                      "Hẹn trả kết quả:    17 giờ 00 phút, ngày 19/11/2026", "Lý do: Cần xác minh thêm",
                      "vào 17 giờ 00 phút, ngày 24/11/2026", "do hệ thống phát hành"] {
            #expect(text.contains(field), "\(field)")
        }
        #expect(!text.contains("051"), "no personal ID")
    }
}
