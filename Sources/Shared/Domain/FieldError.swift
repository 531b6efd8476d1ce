/// One reason a submission is refused: the field (a JSON path like `applicant.personalId`) and the rule.
public struct FieldError: Codable, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
