import Foundation

/// Checks a `POST /v1/payments` body (the dossier's existence is intake's to check).
public enum PaymentValidator {
    public static func validate(_ body: JSONValue, now: Date = Date()) -> Result<PaymentNotice, ValidationFailure> {
        var r = FieldReader()
        guard case .object = body else {
            return .failure(ValidationFailure([FieldError("(body)", "must be a JSON object")]))
        }
        let transactionId = r.string(body, "transactionId", at: "transactionId", maxLength: 100)
        let code = r.string(body, "dossierCode", at: "dossierCode", maxLength: 40)
        if let code, DossierCode(code) == nil {
            r.fail("dossierCode", "must be a dossier code shaped <unitCode>-YYMMDD-NNNN")
        }
        let amount = r.int(body, "amountVnd", at: "amountVnd", range: 0...Limits.maxAmountVnd)
        let status = r.choice(PaymentNotice.Status.self, body, "status", at: "status")
        let gateway = r.choice(PaymentNotice.Gateway.self, body, "gateway", at: "gateway")
        let paidAt = TimeField.read(body, "paidAt", &r, window: .around(now), required: true)
        guard r.isClean, let transactionId, let code, let amount, let status, let gateway, let paidAt else {
            return .failure(r.failure)
        }
        return .success(
            PaymentNotice(
                transactionId: transactionId, dossierCode: code, amountVnd: amount, status: status,
                gateway: gateway, paidAt: paidAt))
    }
}
