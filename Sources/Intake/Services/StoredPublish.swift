import AMQPDriver
import Logging
import Metrics

/// The one rule for publishing what intake stored first (a new dossier's event, an action, a payment
/// notice) when the broker's answer is not a confirm:
/// - it certainly did not publish (a nack, a return, nothing sent): the stored fact is forgotten, and
///   the client's identical retry starts afresh;
/// - the outcome is unknown (no confirm in time, the connection broke after the send): the fact is kept,
///   marked uncertain, so the identical retry republishes the same event id (consumers drop a repeat)
///   and `UncertainRepair` republishes it after a minute if no retry comes.
/// Either way the request fails (503), and the error goes on to the caller.
enum StoredPublish {
    static let uncertainCount = Counter(label: "motcua_intake_publish_uncertain_total")

    static func publish(
        _ what: String, metadata: Logger.Metadata, logger: Logger,
        send: () async throws -> Void, keepUncertain: () async throws -> Void,
        forget: () async throws -> Void
    ) async throws {
        do {
            try await send()
        } catch let error as AMQPError where error.outcomeUnknown {
            try? await keepUncertain()
            uncertainCount.increment()
            logger.warning("\(what) publish unconfirmed, kept for a retry", metadata: metadata)
            throw error
        } catch {
            try? await forget()
            throw error
        }
    }
}
