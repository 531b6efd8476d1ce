import Foundation

/// The apology letter as text, ready to print, with every field of the form of the regime in force at the
/// dossier's receipt (DOMAIN.md §11): "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (Mẫu 04, Circular
/// 01/2018) or "Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết" (Mẫu 04, Circular 03/2025).
/// Pure: the caller looks the names and the regime up.
public enum ApologyLetterText {
    public struct Fields: Sendable {
        public var letter: ApologyLetter
        public var issuingUnitName: String
        public var dossierCode: String
        public var applicantName: String
        public var procedureName: String
        public var receivedAt: Date
        /// The due moment on the citizen's receipt.
        public var originalDueAt: Date
        /// The regime's apology form: its number and title.
        public var form: Regime.Form
        /// The regime's legal basis line, and its circular (printed beside the form's number).
        public var legalBasis: String?
        public var circular: String?

        public init(
            letter: ApologyLetter, issuingUnitName: String, dossierCode: String, applicantName: String,
            procedureName: String, receivedAt: Date, originalDueAt: Date, regime: Regime? = nil
        ) {
            self.form = regime?.form(.apology) ?? ApologyLetterText.form2018
            self.legalBasis = regime?.basis
            self.circular = regime?.circular
            self.letter = letter
            self.issuingUnitName = issuingUnitName
            self.dossierCode = dossierCode
            self.applicantName = applicantName
            self.procedureName = procedureName
            self.receivedAt = receivedAt
            self.originalDueAt = originalDueAt
        }
    }

    /// Circular 01/2018's form, for a catalog without regimes.
    public static let form2018 = Regime.Form(number: "04", title: "Phiếu xin lỗi và hẹn lại ngày trả kết quả")

    public static func render(_ f: Fields) -> String {
        let unit = f.issuingUnitName
        let issued = VietnamTime.local(f.letter.issuedAt).date
        return """
            \(formLabel(f))
            \(unit.uppercased())                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                 Độc lập - Tự do - Hạnh phúc
            Số: \(f.letter.number)
                                                 Ngày \(two(issued.day)) tháng \(two(issued.month)) năm \(issued.year)

                        \(f.form.title.uppercased())
            \(f.legalBasis.map { "\n\($0).\n" } ?? "")
            Kính gửi: \(f.applicantName)

            \(unit) tiếp nhận hồ sơ của Ông/Bà:
              Thủ tục:            \(f.procedureName)
              Mã hồ sơ:           \(f.dossierCode)
              Ngày tiếp nhận:     \(moment(f.receivedAt))
              Hẹn trả kết quả:    \(moment(f.originalDueAt))

            Đến nay \(unit) chưa trả kết quả giải quyết hồ sơ cho Ông/Bà.
            Lý do: \(f.letter.reason)

            Sự chậm trễ này gây phiền hà, tốn kém cho Ông/Bà. \(unit) xin lỗi Ông/Bà và \(promise(f.form))
            vào \(moment(f.letter.newDueAt)).

            Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.

            (\(f.letter.timely ? "Phiếu do cơ quan giải quyết lập trước hạn trả kết quả."
                               : "Phiếu do hệ thống phát hành khi hồ sơ đã quá hạn trả kết quả."))

            """
    }

    /// "Mẫu số 04 (Thông tư 03/2025/TT-VPCP)": which form of which circular this is.
    public static func formLabel(_ f: Fields) -> String {
        "Mẫu số \(f.form.number)" + (f.circular.map { " (Thông tư \($0))" } ?? "")
    }

    /// What the letter promises: a new appointment (2018), or an extension of the time to resolve (2025),
    /// as the form's title words it.
    public static func promise(_ form: Regime.Form) -> String {
        form.title.lowercased().contains("gia hạn")
            ? "đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả" : "hẹn trả kết quả"
    }

    /// `17 giờ 00 phút, ngày 19/11/2026`, local time.
    public static func moment(_ date: Date) -> String {
        let (day, seconds) = VietnamTime.local(date)
        return
            "\(two(seconds / 3600)) giờ \(two(seconds % 3600 / 60)) phút, ngày \(two(day.day))/\(two(day.month))/\(day.year)"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
