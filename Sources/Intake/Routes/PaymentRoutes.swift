import AMQPDriver
import Domain
import Foundation
import Hummingbird
import Store

/// `POST /v1/payments`: notices from the payment platform, idempotent per unit on transaction and status.
struct PaymentRoutes: Sendable {
    let intake: DossierIntake
    let authorizer: Authorizer
    let catalog: CatalogCache
    let directory: DossierDirectory
    let notices: PaymentNotices

    func register(on group: RouterGroup<IntakeContext>) {
        group.post("payments") { request, context in try await pay(request, context: context) }
    }

    private func pay(_ request: Request, context: IntakeContext) async throws -> Response {
        let token = try context.requireToken()
        let body = try await RequestBody.json(request, context: context)
        let notice: PaymentNotice
        switch PaymentValidator.validate(body) {
        case .success(let valid): notice = valid
        case .failure(let failure): throw Problem.validation(failure.errors)
        }
        // Scope first, from the code itself: whether another unit's code exists is not this token's to learn.
        let unit = try authorizer.scopedCode(notice.dossierCode, token: token, catalog: catalog.current).unitCode
        guard try await directory.isKnown(notice.dossierCode) else {
            throw Problem.validation([FieldError("dossierCode", "no dossier with this code was ever issued")])
        }
        let key = RoutingKey.payment(notice.status.rawValue)
        let outcome = try await notices.accept(notice, unitCode: unit) {
            try JSONCoding.encodeString(
                CloudEvent(
                    source: EventSource.intake, routingKey: key,
                    subject: notice.dossierCode, data: notice))
        }
        switch outcome {
        case .new(let event):
            try await StoredPublish.publish(
                "payment notice", metadata: ["code": "\(notice.dossierCode)"],
                logger: context.logger,
                send: { try await intake.publish(event, routingKey: key) },
                keepUncertain: { try await notices.markUncertain(notice, unitCode: unit) },
                forget: { try await notices.withdraw(notice, unitCode: unit) })
            return try JSONResponse.make(Receipt(notice: notice, repeated: false), status: .accepted)
        case .repeated(let event):
            // Harmless if the first publish went through: the worker drops the repeated event id.
            try await intake.publish(event, routingKey: key)
            try? await notices.markConfirmed(notice, unitCode: unit)
            return try JSONResponse.make(Receipt(notice: notice, repeated: true), status: .ok)
        case .conflict:
            throw Problem.conflict(
                "transaction \(notice.transactionId) was already notified as \(notice.status.rawValue) "
                    + "with other figures.")
        }
    }

    struct Receipt: Encodable {
        var transactionId: String
        var dossierCode: String
        var status: String
        var repeated: Bool

        init(notice: PaymentNotice, repeated: Bool) {
            transactionId = notice.transactionId
            dossierCode = notice.dossierCode
            status = notice.status.rawValue
            self.repeated = repeated
        }
    }
}
