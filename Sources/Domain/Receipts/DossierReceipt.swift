import Foundation

/// The citizen's receipt: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", Mẫu 01 of the regime in force at the
/// dossier's receipt (DOMAIN.md §11), with what that form asks: the unit, the code, the applicant's name
/// (no personal ID: the form does not ask for it), the procedure and its time limit, the components
/// received, the receipt moment, the due moment on the receipt (tạm tính while provisional), the channel,
/// and the address of the public lookup page for this code, which the QR code carries. Pure: the caller
/// reads the view, the name and the catalog.
public struct DossierReceipt: Sendable, Equatable {
    public var form: Regime.Form
    /// The regime's circular, printed beside the form's number, and its legal basis line.
    public var circular: String?
    public var legalBasis: String?
    public var code: String
    /// The receiving unit, as named on the receipt day.
    public var unitName: String
    /// The unit handling it, when another unit of the province received it (DOMAIN.md §11).
    public var handlingUnitName: String?
    public var applicantName: String
    public var procedureName: String
    /// The procedure's time limit in words: "3 ngày làm việc".
    public var processing: String?
    public var components: [String]
    public var receivedAt: Date
    /// The due moment on the receipt (`originalDueAt`: a completed supplement's restart replaces it).
    public var dueAt: Date
    public var provisional: Bool
    public var channel: Channel
    public var lookupURL: String

    /// Circular 01/2018's form, for a catalog without regimes.
    public static let form2018 = Regime.Form(number: "01", title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")

    /// - Parameter publicURL: where citizens reach the lookup page (`MOTCUA_PUBLIC_URL`, or the request's
    ///   address), without a trailing slash.
    public init(view: DossierView, applicantName: String, catalog: CatalogSnapshot, publicURL: String) {
        let day = VietnamTime.local(view.receivedAt).date
        let regime = catalog.regime(on: day)
        let unitName = { (code: String) in catalog.unit(code, at: view.receivedAt)?.name ?? code }
        let procedure = catalog.procedure(view.procedureCode, receivedAt: view.receivedAt)
        form = regime?.form(.receipt) ?? Self.form2018
        circular = regime?.circular
        legalBasis = regime?.basis
        code = view.code
        self.unitName = unitName(view.unitCode)
        let handling = view.handlingUnit ?? view.unitCode
        handlingUnitName = handling == view.unitCode ? nil : unitName(handling)
        self.applicantName = applicantName
        procedureName = procedure?.name ?? view.procedureCode
        processing = procedure.map { Self.words($0.processing) }
        components = view.components.map(\.name)
        receivedAt = view.receivedAt
        dueAt = view.originalDueAt
        // The view's flag is about `dueAt`, which is the receipt's until an apology moves it.
        provisional = view.provisional && view.apology == nil
        channel = view.channel
        lookupURL = Self.lookupURL(publicURL: publicURL, code: view.code)
    }

    /// `<public URL>/tra-cuu?ma=<code>`; a code is digits, capitals, dots and a dash, safe in a query.
    public static func lookupURL(publicURL: String, code: String) -> String {
        "\(publicURL)/tra-cuu?ma=\(code)"
    }

    /// "Mẫu số 01 (Thông tư 03/2025/TT-VPCP)".
    public var formLabel: String { "Mẫu số \(form.number)" + (circular.map { " (Thông tư \($0))" } ?? "") }

    public static func words(_ time: ProcessingTime) -> String {
        switch time {
        case .workingDays(let n): "\(n) ngày làm việc"
        case .workingHours(let n): "\(n) giờ làm việc"
        case .sameDay: "trong ngày làm việc"
        }
    }

    /// The QR code of `lookupURL` (level M), or nil for an address past version 40.
    public var qrCode: QRCode? { QRCode(text: lookupURL, level: .medium) }
}
