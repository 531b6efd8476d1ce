import BlockingThreads
import Domain
import Foundation
import Runtime
import Store

/// The channels that are on (`MOTCUA_SMS_GATEWAY_URL`, `MOTCUA_SMTP_URL`) and how a notice goes out on each.
struct NotifierChannels: Sendable {
    let sms: SMSGateway?
    let mail: SMTPClient?
    let from: String
    let fromName: String

    init(_ settings: NotifierSettings) {
        sms = settings.smsGatewayURL.map { SMSGateway(url: $0, timeout: settings.policy.sendTimeoutSeconds) }
        mail = settings.smtp.map {
            SMTPClient(
                endpoint: $0, timeout: settings.policy.sendTimeoutSeconds,
                thread: ConnectionThread(name: "motcua.smtp"))
        }
        from = settings.mailFrom
        fromName = settings.mailFromName
    }

    /// Why `channel` cannot reach `contact` (nil: it can).
    static func skip(_ channel: NotificationChannel, _ contact: CitizenContacts.Contact?) -> ContactAddress.Skip? {
        guard let contact else { return .unknownDossier }
        switch channel {
        case .sms:
            if case .failure(let reason) = ContactAddress.phone(contact.phone) { return reason.skip }
        case .email:
            if case .failure(let reason) = ContactAddress.email(contact.email) { return reason.skip }
        }
        return nil
    }

    /// Sends the notice; the outcome, and the SMS's part count.
    func send(
        _ notice: CitizenNotice, on channel: NotificationChannel, to contact: CitizenContacts.Contact,
        reference: String
    ) async -> (SendOutcome, Int?) {
        switch channel {
        case .sms:
            guard let sms, case .success(let phone) = ContactAddress.phone(contact.phone) else {
                return (.refused("no usable phone"), nil)
            }
            return (await sms.send(to: phone, text: notice.sms, reference: reference), SMSSegments(notice.sms).parts)
        case .email:
            guard let mail, case .success(let address) = ContactAddress.email(contact.email) else {
                return (.refused("no usable e-mail address"), nil)
            }
            let message = MailMessage(
                from: from, fromName: fromName, to: address, subject: notice.subject, body: notice.body,
                reference: reference, date: Date())
            return (await mail.send(message), nil)
        }
    }
}
