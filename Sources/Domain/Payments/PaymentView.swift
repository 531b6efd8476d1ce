import Foundation

/// A payment as a dossier's view shows it.
public struct PaymentView: Codable, Sendable, Equatable {
    public var transactionId: String
    public var amountVnd: Int
    public var status: String
    public var gateway: String
    public var paidAt: Date
    /// The amount differs from the procedure's fee.
    public var mismatch: Bool

    public init(transactionId: String, amountVnd: Int, status: String, gateway: String, paidAt: Date, mismatch: Bool) {
        self.transactionId = transactionId
        self.amountVnd = amountVnd
        self.status = status
        self.gateway = gateway
        self.paidAt = paidAt
        self.mismatch = mismatch
    }

    /// Succeeded minus refunded. Amounts are bounded at intake (`Limits.maxAmountVnd`), but stored rows
    /// are not trusted to be: the sum saturates instead of trapping.
    public static func net(_ payments: [PaymentView]) -> Int {
        payments.reduce(0) { total, payment in
            switch payment.status {
            case "succeeded": return total.saturatingAdd(payment.amountVnd)
            case "refunded": return total.saturatingAdd(payment.amountVnd == .min ? .max : -payment.amountVnd)
            default: return total
            }
        }
    }
}

extension Int {
    /// `self + other`, held at `Int.max` or `Int.min` instead of trapping.
    func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
