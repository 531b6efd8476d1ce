import Foundation

/// The apology letter (Phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04) as text, ready to print,
/// with every field of the form. Pure: the caller looks the names up.
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

        public init(
            letter: ApologyLetter, issuingUnitName: String, dossierCode: String, applicantName: String,
            procedureName: String, receivedAt: Date, originalDueAt: Date
        ) {
            self.letter = letter
            self.issuingUnitName = issuingUnitName
            self.dossierCode = dossierCode
            self.applicantName = applicantName
            self.procedureName = procedureName
            self.receivedAt = receivedAt
            self.originalDueAt = originalDueAt
        }
    }

    public static func render(_ f: Fields) -> String {
        let unit = f.issuingUnitName
        let issued = VietnamTime.local(f.letter.issuedAt).date
        return """
            \(unit.uppercased())                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                 Độc lập - Tự do - Hạnh phúc
            Số: \(f.letter.number)
                                                 Ngày \(two(issued.day)) tháng \(two(issued.month)) năm \(issued.year)

                        PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ

            Kính gửi: \(f.applicantName)

            \(unit) tiếp nhận hồ sơ của Ông/Bà:
              Thủ tục:            \(f.procedureName)
              Mã hồ sơ:           \(f.dossierCode)
              Ngày tiếp nhận:     \(moment(f.receivedAt))
              Hẹn trả kết quả:    \(moment(f.originalDueAt))

            Đến nay \(unit) chưa trả kết quả giải quyết hồ sơ cho Ông/Bà.
            Lý do: \(f.letter.reason)

            Sự chậm trễ này gây phiền hà, tốn kém cho Ông/Bà. \(unit) xin lỗi Ông/Bà và hẹn trả kết quả
            vào \(moment(f.letter.newDueAt)).

            Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.

            (\(f.letter.timely ? "Phiếu do cơ quan giải quyết lập trước hạn trả kết quả."
                               : "Phiếu do hệ thống phát hành khi hồ sơ đã quá hạn trả kết quả."))

            """
    }

    /// `17 giờ 00 phút, ngày 19/11/2026`, local time.
    public static func moment(_ date: Date) -> String {
        let (day, seconds) = VietnamTime.local(date)
        return
            "\(two(seconds / 3600)) giờ \(two(seconds % 3600 / 60)) phút, ngày \(two(day.day))/\(two(day.month))/\(day.year)"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
