import AMQPDriver
import Dispatch
import Domain
import Foundation
import Logging
import Metrics
import Store

/// Accepts a validated dossier: issues its code and due moment, publishes `dossier.received`, and
/// answers only once the broker confirmed it.
struct DossierIntake: Sendable {
    let issued: IssuedDossiers
    let publisher: any EventPublishing
    let catalog: CatalogCache
    private let accepted = Counter(label: "motcua_intake_dossiers_accepted_total")
    private let replayed = Counter(label: "motcua_intake_dossiers_replayed_total")
    private let issueTime = Metrics.Timer(label: "motcua_intake_issue_seconds")
    private let confirmTime = Metrics.Timer(label: "motcua_intake_publish_confirm_seconds")

    private let desk: IssuingDesk

    init(issued: IssuedDossiers, publisher: any EventPublishing, catalog: CatalogCache) {
        self.issued = issued
        self.desk = IssuingDesk(issued: issued)
        self.publisher = publisher
        self.catalog = catalog
    }

    enum Outcome {
        case accepted(DossierReceived)
        /// The idempotency key was seen with the same request: the same answer again.
        case replayed(DossierReceived)
        /// The key was used with another request.
        case conflict
    }

    /// - Parameter logger: the request's, so that its lines carry the request id (`hb.request.id`).
    func submit(
        _ submission: DossierSubmission, procedure: Procedure, unit: Domain.Unit, now: Date,
        logger: Logger
    ) async throws -> Outcome {
        let snapshot = catalog.current
        let receivedAt = submission.receivedAt ?? now.wholeSeconds
        let dueAt = DueMoment.compute(
            receivedAt: receivedAt, processing: procedure.processing,
            paper: submission.channel.isPaper, officeHours: unit.hours,
            calendar: snapshot.calendar)
        let provisionalYears = ProvisionalDue.undecidedYears(
            from: receivedAt, through: dueAt, calendar: snapshot.calendar)
        let day = VietnamTime.local(receivedAt).date
        func dossier(_ code: String) -> DossierReceived {
            DossierReceived(
                code: code, procedureCode: submission.procedureCode,
                unitCode: submission.unitCode, channel: submission.channel,
                onlineLevel: submission.onlineLevel, applicant: submission.applicant,
                components: submission.components, receivedAt: receivedAt, dueAt: dueAt,
                idempotencyKey: submission.idempotencyKey, linkedGroup: submission.linkedGroup,
                provisionalYears: provisionalYears)
        }
        // The id is chosen here, so a new event is published without reading back the JSON just written.
        // The request is encoded once: it is both what idempotency compares and the bulk of the event.
        let eventId = UUID().uuidString.lowercased()
        let canonical = submission.canonicalJSON
        let draft = try ReceivedEventDraft(
            id: eventId, time: now, request: canonical, submission: submission,
            receivedAt: receivedAt, dueAt: dueAt, provisionalYears: provisionalYears)
        let issueStart = DispatchTime.now()
        let outcome = try await desk.issue(
            IssuedDossiers.Request(
                submission: submission, day: day,
                canonical: canonical
            ) { code in
                try draft.json(code: code)
            })
        issueTime.recordInterval(since: issueStart)
        switch outcome {
        case .issued(let issuedCode, let event):
            let code = issuedCode.description
            try await StoredPublish.publish(
                "dossier", metadata: ["code": "\(code)"], logger: logger,
                send: {
                    try await publish(
                        event, id: eventId,
                        routingKey: RoutingKey.dossierReceived)
                },
                keepUncertain: { try await issued.markUncertain(code: code) },
                forget: { try await issued.withdrawUnpublished(code: code) })
            accepted.increment()
            logger.info("dossier accepted", metadata: ["code": "\(code)"])
            return .accepted(dossier(code))
        case .replay(let code, let event, let wasUncertain):
            // Publish again: the first attempt may have failed before its confirm; consumers drop the repeat.
            try await publish(event, routingKey: RoutingKey.dossierReceived)
            if wasUncertain { try? await issued.markConfirmed(code: code) }
            replayed.increment()
            return .replayed(try Self.dossier(in: event))
        case .conflict:
            return .conflict
        }
    }

    /// Publishes a stored event, reading its id from the JSON.
    func publish(_ event: String, routingKey: String) async throws {
        try await publish(event, id: try JSONCoding.decode(EventHeader.self, from: event).id, routingKey: routingKey)
    }

    func publish(_ event: String, id: String, routingKey: String) async throws {
        let start = DispatchTime.now()
        defer { confirmTime.recordInterval(since: start) }
        let type =
            routingKey == RoutingKey.dossierReceived
            ? Self.receivedType : CloudEvent<String>.type(forRoutingKey: routingKey)
        try await publisher.publish(
            OutgoingMessage(
                exchange: Topology.events, routingKey: routingKey,
                body: Data(event.utf8), messageId: id, type: type))
    }

    /// `vn.motcua.dossier.received`, worked out once: splitting the key for every submission cost 1% of
    /// intake's CPU under load.
    static let receivedType = CloudEvent<String>.type(forRoutingKey: RoutingKey.dossierReceived)

    static func dossier(in event: String) throws -> DossierReceived {
        try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: event).data
    }
}
