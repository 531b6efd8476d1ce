/// DOMAIN.md §8: a succeeded payment whose amount is not the procedure's fee is kept, flagged as a
/// mismatch and announced. A procedure without a fee in the catalog has nothing to check against; failed
/// and refunded notices are not payments of the fee.
public enum FeeCheck {
    public static func isMismatch(_ notice: PaymentNotice, fee: Int?) -> Bool {
        guard notice.status == .succeeded, let fee else { return false }
        return notice.amountVnd != fee
    }
}
