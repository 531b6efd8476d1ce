import Foundation
import Store
import Synchronization

/// Gathers the submissions that arrive while a batch is being issued and issues them together
/// (`IssuedDossiers.issueBatch`): under load one transaction serves dozens of requests; when quiet a
/// batch is a single request and costs no wait. If a batch fails, its requests are issued one by one,
/// so one bad row, or a key raced in by another intake, fails only its own request.
final class IssuingDesk: Sendable {
    private let issued: IssuedDossiers
    private let state = Mutex(DeskState())
    static let maxBatch = 200

    init(issued: IssuedDossiers) { self.issued = issued }

    func issue(_ request: IssuedDossiers.Request) async throws -> IssuedDossiers.Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let startFlushing = state.withLock { state -> Bool in
                state.pending.append(Waiting(request: request, continuation: continuation))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startFlushing { Task { await flush() } }
        }
    }

    private func flush() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                var batch: [Waiting] = []
                var keys = Set<String>()
                var rest: [Waiting] = []
                for item in state.pending {
                    let key = item.request.scopedKey
                    // The same key twice waits for the next batch, where it finds the first one's code.
                    if batch.count < Self.maxBatch && (key.map { keys.insert($0).inserted } ?? true) {
                        batch.append(item)
                    } else {
                        rest.append(item)
                    }
                }
                state.pending = rest
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let outcomes = try await issued.issueBatch(batch.map(\.request))
                for (item, outcome) in zip(batch, outcomes) { item.continuation.resume(returning: outcome) }
            } catch {
                for item in batch {
                    let request = item.request
                    do {
                        item.continuation.resume(returning: try await issued.issue(request))
                    } catch {
                        item.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}

private struct Waiting {
    let request: IssuedDossiers.Request
    let continuation: CheckedContinuation<IssuedDossiers.Outcome, Error>
}

private struct DeskState {
    var pending: [Waiting] = []
    var flushing = false
}
