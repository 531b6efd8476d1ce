import Foundation

/// Checks a `POST /v1/payments` body (the dossier's existence is intake's to check).
public enum PaymentValidator {
    public static func validate(_ body: JSONValue) -> Result<PaymentNotice, ValidationFailure> {
        var r = FieldReader()
        guard case .object = body else { return .failure(ValidationFailure([FieldError("(body)", "must be a JSON object")])) }
        let transactionId = r.string(body, "transactionId", at: "transactionId", maxLength: 100)
        let code = r.string(body, "dossierCode", at: "dossierCode", maxLength: 40)
        if let code, DossierCode(code) == nil {
            r.fail("dossierCode", "must be a dossier code shaped <unitCode>-YYMMDD-NNNN")
        }
        let amount = r.int(body, "amountVnd", at: "amountVnd")
        if let amount, amount < 0 { r.fail("amountVnd", "must be zero or more (integer VND)") }
        let status = r.choice(PaymentNotice.Status.self, body, "status", at: "status")
        let gateway = r.choice(PaymentNotice.Gateway.self, body, "gateway", at: "gateway")
        let paidAt = TimeField.read(body, "paidAt", &r, now: Date(), required: true)
        guard r.errors.isEmpty, let transactionId, let code, let amount, let status, let gateway, let paidAt else {
            return .failure(ValidationFailure(r.errors))
        }
        return .success(PaymentNotice(transactionId: transactionId, dossierCode: code, amountVnd: amount, status: status,
                                      gateway: gateway, paidAt: paidAt))
    }
}
