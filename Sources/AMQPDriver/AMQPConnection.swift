import CAMQP
import Foundation
import Synchronization

/// One rabbitmq-c connection with one channel. Not thread-safe: the publisher and consumer
/// threads each own theirs and no other code touches it.
public final class AMQPConnection {
    static let channel: amqp_channel_t = 1
    /// The channel `exists(queue:)` opens for its question and closes after.
    static let probeChannel: amqp_channel_t = 2
    private var state: amqp_connection_state_t?

    /// Connects to a node of `endpoint` that answers, logs in and opens channel 1. The nodes are tried
    /// in turn from the one this process last reached, so a lost node costs one failed attempt (a refused
    /// connection at once, a silent host `connectTimeout`) before the next connection goes elsewhere.
    init(endpoint: AMQPEndpoint, heartbeatSeconds: Int32 = 10, connectTimeout: TimeInterval = 2) throws {
        let nodes = endpoint.nodes
        let first = Self.reached.withLock { $0[nodes] } ?? 0
        var failure: Error = AMQPError(.unavailable, "connect: no node")
        for offset in nodes.indices {
            let index = (first + offset) % nodes.count
            do {
                state = try Self.open(nodes[index], heartbeatSeconds: heartbeatSeconds, connectTimeout: connectTimeout)
                Self.reached.withLock { $0[nodes] = index }
                return
            } catch {
                failure = error
            }
        }
        throw failure
    }

    /// The node each cluster's last connection reached, by the cluster's nodes.
    private static let reached = Mutex<[[AMQPEndpoint.Node]: Int]>([:])

    private static func open(_ node: AMQPEndpoint.Node, heartbeatSeconds: Int32, connectTimeout: TimeInterval) throws
        -> amqp_connection_state_t
    {
        guard let state = amqp_new_connection() else { throw AMQPError(.unavailable, "allocate connection") }
        do {
            guard let socket = amqp_tcp_socket_new(state) else { throw AMQPError(.unavailable, "create socket") }
            var timeout = timeval(tv_sec: Int(connectTimeout), tv_usec: 0)
            let status = amqp_socket_open_noblock(socket, node.host, Int32(node.port), &timeout)
            guard status == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.unavailable, "connect \(node.host):\(node.port)", code: status)
            }
            try check(motcua_login(state, node.virtualHost, node.user, node.password, heartbeatSeconds), "login")
            _ = motcua_set_send_timeout(amqp_get_sockfd(state), 5)
            amqp_channel_open(state, Self.channel)
            try check(amqp_get_rpc_reply(state), "open channel")
            return state
        } catch {
            amqp_destroy_connection(state)
            throw error
        }
    }

    deinit { close() }

    /// Closes politely when possible; calling it twice is harmless.
    func close() {
        guard let state else { return }
        self.state = nil
        amqp_channel_close(state, Self.channel, Int32(AMQP_REPLY_SUCCESS))
        amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
    }

    /// Drops the connection without the closing handshake (after the socket broke).
    func abandon() {
        guard let state else { return }
        self.state = nil
        amqp_destroy_connection(state)
    }

    var socket: Int32 { state.map { amqp_get_sockfd($0) } ?? -1 }

    /// Whether rabbitmq-c already holds bytes or frames that a poll on the socket would not announce.
    var hasBufferedData: Bool {
        guard let state else { return false }
        return amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0
    }

    func declareExchange(_ name: String, type: String) throws {
        try check(motcua_declare_exchange(try live(), Self.channel, name, type), "declare exchange \(name)")
    }

    /// `initialGroupSize` (quorum queues; 0: the broker's default) is how many nodes a new queue is
    /// replicated on. With it, a queue that exists is used as it is, not declared again: RabbitMQ refuses
    /// (406) a re-declare whose arguments differ from the queue's, and a queue made before the setting has
    /// no group size, one made after has one.
    func declareQueue(
        _ name: String, quorum: Bool, deadLetterExchange: String?, deadLetterRoutingKey: String?,
        deliveryLimit: Int, initialGroupSize: Int = 0
    ) throws {
        let sized = quorum && initialGroupSize > 0
        if sized, try exists(queue: name) { return }
        try check(
            motcua_declare_queue(
                try live(), Self.channel, name, quorum ? 1 : 0, deadLetterExchange,
                deadLetterRoutingKey, Int32(deliveryLimit), Int32(sized ? initialGroupSize : 0)),
            "declare queue \(name)")
    }

    /// Whether a queue exists, asked on a channel of its own (`probeChannel`), since the broker answers
    /// a missing queue by closing the channel that asked.
    func exists(queue: String) throws -> Bool {
        var reply = amqp_rpc_reply_t()
        switch motcua_queue_exists(try live(), Self.probeChannel, queue, &reply) {
        case 1: return true
        case 0: return false
        default:
            try check(reply, "look up queue \(queue)")
            throw AMQPError(.unavailable, "look up queue \(queue)")
        }
    }

    func declarePrivateQueue(_ name: String) throws {
        try check(motcua_declare_private_queue(try live(), Self.channel, name), "declare queue \(name)")
    }

    func bind(queue: String, exchange: String, routingKey: String) throws {
        try check(motcua_bind_queue(try live(), Self.channel, queue, exchange, routingKey), "bind \(queue)")
    }

    /// Ready messages and consumers of a queue, by passive declare.
    func inspect(queue: String) throws -> (ready: Int, consumers: Int) {
        var messages: UInt32 = 0
        var consumers: UInt32 = 0
        try check(motcua_inspect_queue(try live(), Self.channel, queue, &messages, &consumers), "inspect \(queue)")
        return (Int(messages), Int(consumers))
    }

    func selectConfirms() throws { try check(motcua_confirm_select(try live(), Self.channel), "confirm.select") }

    func setPrefetch(_ count: UInt16) throws { try check(motcua_qos(try live(), Self.channel, count), "basic.qos") }

    func consume(queue: String) throws { try check(motcua_basic_consume(try live(), Self.channel, queue), "consume") }

    func publish(_ message: OutgoingMessage, mandatory: Bool) throws {
        let state = try live()
        let status = message.body.withUnsafeBytes { body in
            motcua_publish(
                state, Self.channel, message.exchange, message.routingKey, mandatory ? 1 : 0,
                body.baseAddress, body.count, message.messageId, message.contentType, message.type,
                message.errorHeader)
        }
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(.unavailable, "publish", code: status) }
    }

    public func ack(_ tag: UInt64, multiple: Bool = false) throws {
        let status = amqp_basic_ack(try live(), Self.channel, tag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(.unavailable, "ack", code: status) }
    }

    /// Returns or drops one delivery as failed: RabbitMQ 4.3 counts a `basic.reject` in the quorum
    /// queue's delivery count (and delivery limit) but not a `basic.nack`; earlier releases count both.
    public func reject(_ tag: UInt64, requeue: Bool) throws {
        let status = amqp_basic_reject(try live(), Self.channel, tag, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(.unavailable, "reject", code: status) }
    }

    /// Returns deliveries without counting a failure on RabbitMQ 4.3 (dead letters looked at, then put back).
    public func nack(_ tag: UInt64, multiple: Bool = false, requeue: Bool) throws {
        let status = amqp_basic_nack(try live(), Self.channel, tag, multiple ? 1 : 0, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(.unavailable, "nack", code: status) }
    }

    /// The next frame if one can be read without waiting; nil when none is there.
    func nextFrame() throws -> BrokerFrame? {
        let state = try live()
        // Every inbound frame is allocated from the channel's pool, which only this call recycles:
        // without it a publisher's confirms grow its memory for the life of the connection.
        amqp_maybe_release_buffers(state)
        var frame = amqp_frame_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &zero)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(.unavailable, "read frame", code: status) }
        switch motcua_classify_frame(&frame) {
        case MOTCUA_FRAME_ACK, MOTCUA_FRAME_NACK:
            var tag: UInt64 = 0
            var multiple: Int32 = 0
            motcua_confirm_info(&frame, &tag, &multiple)
            let ack = motcua_classify_frame(&frame) == MOTCUA_FRAME_ACK
            return ack ? .ack(tag: tag, multiple: multiple != 0) : .nack(tag: tag, multiple: multiple != 0)
        case MOTCUA_FRAME_RETURN:
            var message = amqp_message_t()
            let reply = amqp_read_message(state, Self.channel, &message, 0)
            try check(reply, "read returned message")
            defer { amqp_destroy_message(&message) }
            return .returned(messageId: Self.string(motcua_message_id(&message.properties)))
        case MOTCUA_FRAME_BLOCKED:
            return .blocked
        case MOTCUA_FRAME_UNBLOCKED:
            return .unblocked
        case MOTCUA_FRAME_CHANNEL_CLOSE, MOTCUA_FRAME_CONNECTION_CLOSE:
            throw AMQPError(.refused, "broker closed the channel")
        default:
            return .other
        }
    }

    /// The next delivery if one can be read without waiting.
    func nextDelivery() throws -> RawDelivery? {
        let state = try live()
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        let reply = amqp_consume_message(state, &envelope, &zero, 0)
        if motcua_rpc_ok(reply) != 0 {
            defer { amqp_destroy_envelope(&envelope) }
            return RawDelivery(
                tag: envelope.delivery_tag, routingKey: Self.string(envelope.routing_key) ?? "",
                body: Self.data(envelope.message.body),
                messageId: Self.string(motcua_message_id(&envelope.message.properties)),
                redelivered: envelope.redelivered != 0,
                deliveryCount: Int(motcua_delivery_count(&envelope.message.properties)),
                error: Self.string(motcua_header_string(&envelope.message.properties, "x-motcua-error")))
        }
        if motcua_is_library_timeout(reply) != 0 { return nil }
        if motcua_is_unexpected_frame(reply) != 0 {
            // Some other frame (a channel close, a heartbeat…): read it to learn whether we are still open.
            _ = try nextFrame()
            return nil
        }
        throw AMQPError(.unavailable, "consume", code: motcua_rpc_code(reply))
    }

    /// basic.get: one message from `queue`, unacknowledged, or nil when it is empty.
    public func get(queue: String) throws -> RawDelivery? {
        let state = try live()
        var reply = amqp_rpc_reply_t()
        var tag: UInt64 = 0
        var key = amqp_bytes_t()
        guard motcua_basic_get(state, Self.channel, queue, &reply, &tag, &key) != 0 else {
            try check(reply, "basic.get")
            return nil
        }
        let routingKey = Self.string(key) ?? ""
        var message = amqp_message_t()
        try check(amqp_read_message(state, Self.channel, &message, 0), "read message")
        defer { amqp_destroy_message(&message) }
        return RawDelivery(
            tag: tag, routingKey: routingKey, body: Self.data(message.body),
            messageId: Self.string(motcua_message_id(&message.properties)), redelivered: false,
            deliveryCount: Int(motcua_delivery_count(&message.properties)),
            error: Self.string(motcua_header_string(&message.properties, "x-motcua-error")))
    }

    private func live() throws -> amqp_connection_state_t {
        guard let state else { throw AMQPError(.unavailable, "use of a closed connection") }
        return state
    }

    private func check(_ reply: amqp_rpc_reply_t, _ context: String) throws {
        try Self.check(reply, context)
    }

    private static func check(_ reply: amqp_rpc_reply_t, _ context: String) throws {
        guard motcua_rpc_ok(reply) == 0 else { return }
        let kind: AMQPError.Kind = reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION ? .refused : .unavailable
        throw AMQPError(kind, context, code: motcua_rpc_code(reply))
    }

    static func data(_ bytes: amqp_bytes_t) -> Data {
        guard let pointer = bytes.bytes, bytes.len > 0 else { return Data() }
        return Data(bytes: pointer, count: bytes.len)
    }

    static func string(_ bytes: amqp_bytes_t) -> String? {
        guard bytes.bytes != nil else { return nil }
        return String(decoding: data(bytes), as: UTF8.self)
    }
}

/// What the publisher thread reads off its channel.
enum BrokerFrame {
    case ack(tag: UInt64, multiple: Bool)
    case nack(tag: UInt64, multiple: Bool)
    case returned(messageId: String?)
    /// The broker stopped reading publishes (a memory or disk alarm), or started again.
    case blocked, unblocked
    case other
}

/// A delivery copied out of rabbitmq-c's buffers.
public struct RawDelivery: Sendable {
    public let tag: UInt64
    public let routingKey: String
    public let body: Data
    public let messageId: String?
    public let redelivered: Bool
    public let deliveryCount: Int
    public let error: String?
}
