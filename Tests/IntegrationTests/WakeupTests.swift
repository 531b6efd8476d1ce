import Domain
import Foundation
import Store
import TestSupport
import Testing

/// The NOTIFY wake-ups of the polling loops (`PostgresListener`, `NotifyChannel`), on the real server.
/// A notification is what the assertions check, never how fast it came.
@Suite(.serialized) struct WakeupTests {
    let database = TestEnvironment.database()

    func listener(_ channel: String) async throws -> PostgresListener {
        let listener = PostgresListener(
            url: TestEnvironment.databaseURL, channel: channel, logger: TestEnvironment.logger)
        // The first wait opens the connection and LISTENs; nothing was sent yet, so it times out.
        #expect(await listener.wait(upTo: .milliseconds(50)) == false)
        return listener
    }

    @Test func queuingOutboxRowsWakesTheRelayAtTheCommit() async throws {
        let relay = try await listener(NotifyChannel.outbox)
        let id = "wakeup-\(UUID().uuidString)"
        try await database.withTransaction { connection in
            try Outbox.insert(
                [try .alert("test.wakeup", source: "/motcua/tests", subject: id, data: ["n": 1], id: id)],
                on: connection)
        }
        #expect(await relay.wait(upTo: .seconds(30)), "the relay hears of the committed rows")
        #expect(await relay.wait(upTo: .milliseconds(200)) == false, "one commit, one wake-up")
        try await database.withConnection { try $0.execute("DELETE FROM outbox WHERE message_id = $1", [id]) }
        await relay.close()
    }

    @Test func aRolledBackInsertWakesNobody() async throws {
        let relay = try await listener(NotifyChannel.outbox)
        struct Abandon: Error {}
        _ = try? await database.withTransaction { connection in
            try Outbox.insert(
                [try .alert("test.wakeup", source: "/motcua/tests", subject: "x", data: ["n": 1])],
                on: connection)
            throw Abandon()
        }
        #expect(await relay.wait(upTo: .milliseconds(500)) == false)
        await relay.close()
    }

    @Test func aTimerWrittenAlreadyDueWakesADeadlineWorkerAndALaterOneDoesNot() async throws {
        let deadlines = try await listener(NotifyChannel.deadlines)
        let code = "000.00.19.H56-991231-\(String(Int.random(in: 1000...9999)))"
        let later = DeadlineTimer(
            kind: .overdue, fireAt: Date().addingTimeInterval(3600), dueAt: Date().addingTimeInterval(3600))
        try await database.withTransaction { connection in
            try DeadlineTimers.replace([code], wanted: [(code, later)], on: connection)
        }
        #expect(await deadlines.wait(upTo: .milliseconds(500)) == false, "an hour away: the poll will find it")
        let due = DeadlineTimer(
            kind: .overdue, fireAt: Date().addingTimeInterval(-1), dueAt: Date().addingTimeInterval(-1))
        try await database.withTransaction { connection in
            try DeadlineTimers.replace([code], wanted: [(code, due)], on: connection)
        }
        #expect(await deadlines.wait(upTo: .seconds(30)), "already due: a worker is woken")
        try await database.withConnection {
            try $0.execute("DELETE FROM deadline_timers WHERE dossier_code = $1", [code])
        }
        await deadlines.close()
    }

    @Test func aListenerWhoseDatabaseIsGoneSleepsInsteadOfFailing() async throws {
        let orphan = PostgresListener(
            url: "postgres://nobody@127.0.0.1:1/none", channel: NotifyChannel.outbox,
            logger: TestEnvironment.logger)
        #expect(await orphan.wait(upTo: .milliseconds(50)) == false)
    }
}
