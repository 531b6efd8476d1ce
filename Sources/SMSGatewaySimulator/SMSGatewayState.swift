import Foundation

/// What the simulated gateway holds: the messages it accepted (one per `reference`), how many repeats it
/// answered without sending, and the faults still to inject. An actor: requests arrive concurrently.
actor SMSGatewayState {
    struct Message: Codable, Sendable {
        let to: String
        let text: String
        let reference: String
        let receivedAt: Date
    }

    /// Faults, each for the next N requests: 5xx (`fail`), 4xx (`refuse`), no answer for a long time
    /// (`timeout`), accepted but answered 503 as if the answer were lost (`dropAnswer`); `delaySeconds`
    /// slows every answer; `refuseAll` refuses every message.
    struct Faults: Codable, Sendable {
        var fail: Int?
        var refuse: Int?
        var timeout: Int?
        var dropAnswer: Int?
        var delaySeconds: Double?
        var refuseAll: Bool?
    }

    enum Answer: Sendable {
        case accepted(duplicate: Bool)
        case serverError
        case refused
        case hang
        case acceptedButLost
    }

    private(set) var messages: [Message] = []
    private var references: Set<String> = []
    private(set) var duplicates = 0
    private(set) var requests = 0
    private var faults = Faults()

    func configure(_ new: Faults) {
        faults.fail = new.fail ?? faults.fail
        faults.refuse = new.refuse ?? faults.refuse
        faults.timeout = new.timeout ?? faults.timeout
        faults.dropAnswer = new.dropAnswer ?? faults.dropAnswer
        faults.delaySeconds = new.delaySeconds ?? faults.delaySeconds
        faults.refuseAll = new.refuseAll ?? faults.refuseAll
    }

    var delay: Double { faults.delaySeconds ?? 0 }

    func reset() {
        messages = []
        references = []
        duplicates = 0
        requests = 0
        faults = Faults()
    }

    /// The answer to one well-formed message; the faults first, then the deduplication on `reference`.
    func receive(to: String, text: String, reference: String) -> Answer {
        requests += 1
        if take(&faults.timeout) { return .hang }
        if take(&faults.fail) { return .serverError }
        if faults.refuseAll == true || take(&faults.refuse) { return .refused }
        let duplicate = !references.insert(reference).inserted
        if duplicate {
            duplicates += 1
        } else {
            messages.append(Message(to: to, text: text, reference: reference, receivedAt: Date()))
        }
        return take(&faults.dropAnswer) ? .acceptedButLost : .accepted(duplicate: duplicate)
    }

    private func take(_ counter: inout Int?) -> Bool {
        guard let left = counter, left > 0 else { return false }
        counter = left - 1
        return true
    }
}
