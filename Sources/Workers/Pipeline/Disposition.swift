/// What became of one message inside a handler's transaction.
enum Disposition: Sendable, Equatable {
    /// Its effect is written; ack after commit.
    case applied
    /// Its `source` + `id` was already in the inbox; ack, nothing changes.
    case duplicate
    /// It cannot be applied now (its dossier is not recorded yet…): return it to the queue.
    case retryLater(String)
    /// It can never be applied: dead-letter it with the reason.
    case poison(String)
}

/// A message a handler refuses for good; the reason goes into the dead letter's header.
struct PoisonMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
