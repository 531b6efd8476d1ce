import Foundation
import Testing

@testable import Domain

/// Mẫu 01 as the regime in force at receipt words it, with the due moment on the receipt and the address
/// of the lookup page.
@Suite struct DossierReceiptTests {
    static let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))

    static func view(received: String, due: String, provisional: Bool = false) -> DossierView {
        var view = DossierView(
            code: "000.00.19.H56-230615-0001", status: "received", procedureCode: "2.000575",
            unitCode: "000.00.19.H56", channel: .direct, receivedAt: Timestamp.parse(received)!,
            dueAt: Timestamp.parse(due)!, originalDueAt: Timestamp.parse(due)!,
            components: [Component(name: "Giấy đề nghị", digitized: false)], payments: [], history: [],
            fullyDigitized: false)
        view.provisional = provisional
        return view
    }

    @Test func theRegimeInForceAtReceiptGivesTheForm() {
        let old = DossierReceipt(
            view: Self.view(received: "2023-06-15T09:00:00+07:00", due: "2023-06-20T17:00:00+07:00"),
            applicantName: "Nguyễn Văn A", catalog: Self.catalog, publicURL: "https://motcua.example.vn")
        #expect(old.form.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" && old.form.number == "01")
        #expect(old.formLabel == "Mẫu số 01 (Thông tư 01/2018/TT-VPCP)")
        #expect(old.legalBasis?.hasPrefix("Căn cứ Nghị định số 61/2018/NĐ-CP") == true)
        let today = DossierReceipt(
            view: Self.view(received: "2026-11-16T09:00:00+07:00", due: "2026-11-19T17:00:00+07:00"),
            applicantName: "Nguyễn Văn A", catalog: Self.catalog, publicURL: "https://motcua.example.vn")
        #expect(today.formLabel == "Mẫu số 01 (Thông tư 03/2025/TT-VPCP)")
        #expect(today.legalBasis?.hasPrefix("Căn cứ Nghị định số 118/2025/NĐ-CP") == true)
        #expect(today.unitName == "UBND xã Bình Phước" && today.handlingUnitName == nil)
        #expect(today.processing == "3 ngày làm việc" && today.components == ["Giấy đề nghị"])
        #expect(today.lookupURL == "https://motcua.example.vn/tra-cuu?ma=000.00.19.H56-230615-0001")
        #expect(today.qrCode?.version.number == 4)
    }

    /// Tạm tính while the receipt's due moment may move; an apology's new appointment is not the receipt's.
    @Test func theDueMomentIsTheReceiptsAndProvisionalWhileItMayMove() {
        var view = Self.view(
            received: "2026-12-28T09:00:00+07:00", due: "2027-01-04T17:00:00+07:00", provisional: true)
        #expect(
            DossierReceipt(view: view, applicantName: "A", catalog: Self.catalog, publicURL: "http://x").provisional)
        view.dueAt = Timestamp.parse("2027-01-12T17:00:00+07:00")!
        view.apology = ApologyLetter(
            number: "1/2027/XL-000.00.19.H56", reason: "r", newDueAt: view.dueAt, issuedAt: view.originalDueAt,
            timely: false)
        let late = DossierReceipt(view: view, applicantName: "A", catalog: Self.catalog, publicURL: "http://x")
        #expect(!late.provisional && late.dueAt == Timestamp.parse("2027-01-04T17:00:00+07:00")!)
    }

    @Test func aProcedureTimeLimitInWords() {
        #expect(DossierReceipt.words(.workingDays(3)) == "3 ngày làm việc")
        #expect(DossierReceipt.words(.workingHours(2)) == "2 giờ làm việc")
        #expect(DossierReceipt.words(.sameDay) == "trong ngày làm việc")
    }
}
