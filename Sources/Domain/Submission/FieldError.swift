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

/// A refusal with every field that broke a rule (HTTP 422).
public struct ValidationFailure: Error, Sendable, Equatable {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }
}
