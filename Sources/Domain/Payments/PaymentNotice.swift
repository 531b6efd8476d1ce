import Foundation

/// `payment.<status>`: a notice from the payment platform (DOMAIN.md §8).
public struct PaymentNotice: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case succeeded, failed, refunded }
    public enum Gateway: String, Codable, Sendable, CaseIterable { case national, provincial }

    public var transactionId: String
    public var dossierCode: String
    public var amountVnd: Int
    public var status: Status
    public var gateway: Gateway
    public var paidAt: Date

    public init(
        transactionId: String, dossierCode: String, amountVnd: Int, status: Status, gateway: Gateway,
        paidAt: Date
    ) {
        self.transactionId = transactionId
        self.dossierCode = dossierCode
        self.amountVnd = amountVnd
        self.status = status
        self.gateway = gateway
        self.paidAt = paidAt
    }
}

/// `payment.mismatch.<unitCode>` on `motcua.alerts`: an amount that differs from the procedure's fee.
public struct PaymentMismatch: Codable, Sendable, Equatable {
    public var dossierCode: String
    public var unitCode: String
    public var procedureCode: String
    public var transactionId: String
    public var amountVnd: Int
    public var expectedVnd: Int
    public var gateway: PaymentNotice.Gateway
    public var paidAt: Date

    public init(
        dossierCode: String, unitCode: String, procedureCode: String, transactionId: String, amountVnd: Int,
        expectedVnd: Int, gateway: PaymentNotice.Gateway, paidAt: Date
    ) {
        self.dossierCode = dossierCode
        self.unitCode = unitCode
        self.procedureCode = procedureCode
        self.transactionId = transactionId
        self.amountVnd = amountVnd
        self.expectedVnd = expectedVnd
        self.gateway = gateway
        self.paidAt = paidAt
    }
}
