import Domain
import Foundation
import TestSupport
import Testing

/// Workers expose what they do on `MOTCUA_METRICS_PORT` (Prometheus text).
@Suite(.serialized) struct WorkerMetricsTests {
    let database = TestEnvironment.database()

    @Test func aWorkerCountsWhatItRecordedAndHowLongBatchesTook() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let port = Int.random(in: 20_000..<32_000)
            _ = try stack.worker(["--role", "recorder"], environment: ["MOTCUA_METRICS_PORT": String(port)])
            let code = try await intake.submit(
                plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-60))))
            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            var text = ""
            try await eventually("the metrics count it") {
                text = String(
                    decoding: try await HTTP.send("GET", "http://127.0.0.1:\(port)/metrics").body, as: UTF8.self)
                return text.contains(#"motcua_worker_messages_total{role="recorder",outcome="applied"} 1"#)
                    || text.contains(#"motcua_worker_messages_total{outcome="applied",role="recorder"} 1"#)
            }
            #expect(text.contains("motcua_worker_batch_size_bucket"))
            #expect(text.contains("motcua_worker_batch_duration_seconds_bucket"))
            #expect(text.contains("motcua_worker_recording_lag_seconds_bucket"))
        }
    }

    @Test func aTakenMetricsPortCostsTheMetricsNotTheWork() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let port = Int.random(in: 20_000..<32_000)
            let first = try stack.worker(["--role", "recorder"], environment: ["MOTCUA_METRICS_PORT": String(port)])
            let second = try stack.worker(["--role", "recorder"], environment: ["MOTCUA_METRICS_PORT": String(port)])
            let code = try await intake.submit(
                plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-60))))
            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            // One of them serves the port; the other said so in its log and works on.
            #expect(first.isRunning && second.isRunning)
            #expect(try await HTTP.send("GET", "http://127.0.0.1:\(port)/healthz").status == 200)
        }
    }
}
