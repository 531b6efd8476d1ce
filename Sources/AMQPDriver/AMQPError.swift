/// A RabbitMQ failure; its description carries codes, never message contents.
public struct AMQPError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The broker cannot be reached or the connection broke: intake answers 503.
        case unavailable
        /// The broker refused an operation (a channel or connection close).
        case refused
        /// The broker did not confirm a publish (nack, or returned as unroutable).
        case notConfirmed
        /// No confirm arrived in time.
        case timeout
        /// The client was shut down.
        case closed
    }

    public var kind: Kind
    public var context: String
    public var code: Int32?
    /// The message was written to the broker, which may have stored it although no confirm came
    /// (the connection broke, the confirm timed out, or it was nacked). False when it certainly was
    /// not: never written, or returned as unroutable.
    public var outcomeUnknown: Bool

    public init(_ kind: Kind, _ context: String, code: Int32? = nil, outcomeUnknown: Bool = false) {
        self.kind = kind
        self.context = context
        self.code = code
        self.outcomeUnknown = outcomeUnknown
    }

    public var description: String {
        "RabbitMQ \(kind.rawValue) during \(context)\(code.map { " (code \($0))" } ?? "")"
    }
}
