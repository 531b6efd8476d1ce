import Foundation
import Shared

/// The `dossier.received` messages of one batch, decided without I/O: which to write, which are
/// repeats of another message in the same batch, which can never be applied. What the database
/// already holds (the inbox, a dossier recorded before) is found when the batch is written.
struct ReceivedBatch {
    /// A decoded event to write, with the position of its delivery in the batch.
    struct Entry {
        let index: Int
        let event: CloudEvent<DossierReceived>
    }

    private(set) var entries: [Entry] = []
    /// Dispositions already known: repeats inside the batch, and messages that are not a `dossier.received`.
    private(set) var decided: [Int: Disposition] = [:]

    /// - Parameter deliveries: the batch; only those routed `dossier.received` are taken.
    init(_ deliveries: [Delivery], decode: (Data) throws -> CloudEvent<DossierReceived>) {
        var seen = Set<String>()
        for (index, delivery) in deliveries.enumerated() where delivery.routingKey == RoutingKey.dossierReceived {
            guard let event = try? decode(delivery.body) else {
                decided[index] = .poison("the message is not a CloudEvent this queue understands")
                continue
            }
            guard seen.insert("\(event.source) \(event.id)").inserted else {
                decided[index] = .duplicate
                continue
            }
            entries.append(Entry(index: index, event: event))
        }
    }

    /// The dispositions once the database said which entries were new (`claimed`, by `source id`).
    func dispositions(claimed: Set<String>) -> [Int: Disposition] {
        var result = decided
        for entry in entries {
            result[entry.index] = claimed.contains("\(entry.event.source) \(entry.event.id)") ? .applied : .duplicate
        }
        return result
    }
}
