#ifndef MOTCUA_CAMQP_SHIM_H
#define MOTCUA_CAMQP_SHIM_H
// Debian 12 ships rabbitmq-c 0.11 with flat headers; newer releases nest them.
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_tcp_socket.h>
#endif
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>

// Swift cannot call variadic C functions, nor use the cast macros of amqp_framing.h:
// these inline helpers are the only C the wrapper needs.

typedef enum {
    MOTCUA_FRAME_OTHER = 0,
    MOTCUA_FRAME_ACK = 1,
    MOTCUA_FRAME_NACK = 2,
    MOTCUA_FRAME_RETURN = 3,
    MOTCUA_FRAME_CHANNEL_CLOSE = 4,
    MOTCUA_FRAME_CONNECTION_CLOSE = 5,
    MOTCUA_FRAME_HEARTBEAT = 6,
    MOTCUA_FRAME_BLOCKED = 7,
    MOTCUA_FRAME_UNBLOCKED = 8,
} motcua_frame_kind;

/// Logs in announcing the `connection.blocked` capability, so a broker under a memory or disk alarm
/// says so (connection.blocked / unblocked) instead of silently stopping to read our publishes.
static inline amqp_rpc_reply_t motcua_login(amqp_connection_state_t conn, const char *vhost,
                                             const char *user, const char *password, int heartbeat) {
    amqp_table_entry_t capabilities[1];
    capabilities[0].key = amqp_cstring_bytes("connection.blocked");
    capabilities[0].value.kind = AMQP_FIELD_KIND_BOOLEAN;
    capabilities[0].value.value.boolean = 1;
    amqp_table_entry_t properties[1];
    properties[0].key = amqp_cstring_bytes("capabilities");
    properties[0].value.kind = AMQP_FIELD_KIND_TABLE;
    properties[0].value.value.table.num_entries = 1;
    properties[0].value.value.table.entries = capabilities;
    amqp_table_t table;
    table.num_entries = 1;
    table.entries = properties;
    return amqp_login_with_properties(conn, vhost, 0, 131072, heartbeat, &table, AMQP_SASL_METHOD_PLAIN, user,
                                      password);
}

/// Bounds how long a write may block (a broker that stopped reading): the write fails instead.
static inline int motcua_set_send_timeout(int fd, int seconds) {
    struct timeval tv;
    tv.tv_sec = seconds;
    tv.tv_usec = 0;
    return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static inline amqp_bytes_t motcua_bytes(const void *data, size_t len) {
    amqp_bytes_t b;
    b.len = len;
    b.bytes = (void *)data;
    return b;
}

/// Declares a durable queue; quorum queues get a delivery limit and a dead-letter exchange.
/// `initial_group_size` > 0 sets `x-quorum-initial-group-size` (quorum queues only): give it only when the
/// queue does not exist yet, since RabbitMQ refuses a re-declare whose arguments differ from the queue's.
static inline amqp_rpc_reply_t motcua_declare_queue(amqp_connection_state_t conn, amqp_channel_t ch,
                                                     const char *name, int quorum, const char *dlx,
                                                     const char *dl_routing_key, int delivery_limit,
                                                     int initial_group_size) {
    amqp_table_entry_t entries[5];
    int n = 0;
    if (quorum) {
        entries[n].key = amqp_cstring_bytes("x-queue-type");
        entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[n].value.value.bytes = amqp_cstring_bytes("quorum");
        n++;
        if (delivery_limit > 0) {
            entries[n].key = amqp_cstring_bytes("x-delivery-limit");
            entries[n].value.kind = AMQP_FIELD_KIND_I32;
            entries[n].value.value.i32 = delivery_limit;
            n++;
        }
        if (initial_group_size > 0) {
            entries[n].key = amqp_cstring_bytes("x-quorum-initial-group-size");
            entries[n].value.kind = AMQP_FIELD_KIND_I32;
            entries[n].value.value.i32 = initial_group_size;
            n++;
        }
    }
    if (dlx) {
        entries[n].key = amqp_cstring_bytes("x-dead-letter-exchange");
        entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[n].value.value.bytes = amqp_cstring_bytes(dlx);
        n++;
    }
    if (dlx && dl_routing_key) {
        entries[n].key = amqp_cstring_bytes("x-dead-letter-routing-key");
        entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[n].value.value.bytes = amqp_cstring_bytes(dl_routing_key);
        n++;
    }
    amqp_table_t args;
    args.num_entries = n;
    args.entries = entries;
    amqp_queue_declare(conn, ch, amqp_cstring_bytes(name), 0, 1, 0, 0, args);
    return amqp_get_rpc_reply(conn);
}

/// Whether a queue exists, asked by a passive declare on channel `probe` (opened for the question and
/// closed after it), so that the refusal of a missing queue, which closes the channel, leaves the
/// connection's own channel open. Returns 1 (exists), 0 (missing) or -1 (failed; the reason in *reply).
static inline int motcua_queue_exists(amqp_connection_state_t conn, amqp_channel_t probe, const char *name,
                                      amqp_rpc_reply_t *reply) {
    amqp_channel_open(conn, probe);
    *reply = amqp_get_rpc_reply(conn);
    if (reply->reply_type != AMQP_RESPONSE_NORMAL) return -1;
    amqp_queue_declare(conn, probe, amqp_cstring_bytes(name), 1, 0, 0, 0, amqp_empty_table);
    *reply = amqp_get_rpc_reply(conn);
    if (reply->reply_type == AMQP_RESPONSE_NORMAL) {
        *reply = amqp_channel_close(conn, probe, AMQP_REPLY_SUCCESS);
        return reply->reply_type == AMQP_RESPONSE_NORMAL ? 1 : -1;
    }
    if (reply->reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && reply->reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        uint16_t code = ((amqp_channel_close_t *)reply->reply.decoded)->reply_code;
        amqp_channel_close_ok_t close_ok;
        memset(&close_ok, 0, sizeof(close_ok));
        if (amqp_send_method(conn, probe, AMQP_CHANNEL_CLOSE_OK_METHOD, &close_ok) != AMQP_STATUS_OK) return -1;
        if (code == AMQP_NOT_FOUND) return 0;
    }
    return -1;
}

/// Passive declare: answers ready count and consumers, or fails when the queue is missing.
static inline amqp_rpc_reply_t motcua_inspect_queue(amqp_connection_state_t conn, amqp_channel_t ch,
                                                     const char *name, uint32_t *messages, uint32_t *consumers) {
    amqp_queue_declare_ok_t *ok = amqp_queue_declare(conn, ch, amqp_cstring_bytes(name), 1, 0, 0, 0, amqp_empty_table);
    amqp_rpc_reply_t reply = amqp_get_rpc_reply(conn);
    if (ok) {
        *messages = ok->message_count;
        *consumers = ok->consumer_count;
    }
    return reply;
}

/// A persistent publish. `error_header` (nullable) is written as the `x-motcua-error` header.
static inline int motcua_publish(amqp_connection_state_t conn, amqp_channel_t ch, const char *exchange,
                                 const char *routing_key, int mandatory, const void *body, size_t body_len,
                                 const char *message_id, const char *content_type, const char *type,
                                 const char *error_header) {
    amqp_basic_properties_t props;
    memset(&props, 0, sizeof(props));
    props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
    props.delivery_mode = 2;
    props.content_type = amqp_cstring_bytes(content_type);
    props.message_id = amqp_cstring_bytes(message_id);
    if (type) {
        props._flags |= AMQP_BASIC_TYPE_FLAG;
        props.type = amqp_cstring_bytes(type);
    }
    amqp_table_entry_t entry;
    if (error_header) {
        entry.key = amqp_cstring_bytes("x-motcua-error");
        entry.value.kind = AMQP_FIELD_KIND_UTF8;
        entry.value.value.bytes = amqp_cstring_bytes(error_header);
        props._flags |= AMQP_BASIC_HEADERS_FLAG;
        props.headers.num_entries = 1;
        props.headers.entries = &entry;
    }
    return amqp_basic_publish(conn, ch, amqp_cstring_bytes(exchange), amqp_cstring_bytes(routing_key),
                              mandatory, 0, &props, motcua_bytes(body, body_len));
}

static inline motcua_frame_kind motcua_classify_frame(const amqp_frame_t *frame) {
    if (frame->frame_type == AMQP_FRAME_HEARTBEAT) return MOTCUA_FRAME_HEARTBEAT;
    if (frame->frame_type != AMQP_FRAME_METHOD) return MOTCUA_FRAME_OTHER;
    switch (frame->payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: return MOTCUA_FRAME_ACK;
    case AMQP_BASIC_NACK_METHOD: return MOTCUA_FRAME_NACK;
    case AMQP_BASIC_RETURN_METHOD: return MOTCUA_FRAME_RETURN;
    case AMQP_CHANNEL_CLOSE_METHOD: return MOTCUA_FRAME_CHANNEL_CLOSE;
    case AMQP_CONNECTION_CLOSE_METHOD: return MOTCUA_FRAME_CONNECTION_CLOSE;
    case AMQP_CONNECTION_BLOCKED_METHOD: return MOTCUA_FRAME_BLOCKED;
    case AMQP_CONNECTION_UNBLOCKED_METHOD: return MOTCUA_FRAME_UNBLOCKED;
    default: return MOTCUA_FRAME_OTHER;
    }
}

/// The delivery tag and `multiple` flag of a basic.ack or basic.nack frame.
static inline void motcua_confirm_info(const amqp_frame_t *frame, uint64_t *tag, int *multiple) {
    if (frame->payload.method.id == AMQP_BASIC_ACK_METHOD) {
        amqp_basic_ack_t *ack = (amqp_basic_ack_t *)frame->payload.method.decoded;
        *tag = ack->delivery_tag;
        *multiple = ack->multiple;
    } else {
        amqp_basic_nack_t *nack = (amqp_basic_nack_t *)frame->payload.method.decoded;
        *tag = nack->delivery_tag;
        *multiple = nack->multiple;
    }
}

static inline int motcua_rpc_ok(amqp_rpc_reply_t reply) { return reply.reply_type == AMQP_RESPONSE_NORMAL; }

/// A short, value-free description of a failed RPC reply (server close code or library error).
static inline int motcua_rpc_code(amqp_rpc_reply_t reply) {
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) return reply.library_error;
    if (reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION) {
        if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) return ((amqp_channel_close_t *)reply.reply.decoded)->reply_code;
        if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) return ((amqp_connection_close_t *)reply.reply.decoded)->reply_code;
    }
    return -1;
}

static inline int motcua_is_library_timeout(amqp_rpc_reply_t reply) {
    return reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT;
}

static inline int motcua_is_unexpected_frame(amqp_rpc_reply_t reply) {
    return reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE;
}

/// The value of a string header of a message, or an empty bytes value.
static inline amqp_bytes_t motcua_header_string(const amqp_basic_properties_t *props, const char *key) {
    amqp_bytes_t none = {0, NULL};
    if (!(props->_flags & AMQP_BASIC_HEADERS_FLAG)) return none;
    size_t klen = strlen(key);
    for (int i = 0; i < props->headers.num_entries; i++) {
        amqp_table_entry_t *e = &props->headers.entries[i];
        if (e->key.len == klen && memcmp(e->key.bytes, key, klen) == 0 &&
            (e->value.kind == AMQP_FIELD_KIND_UTF8 || e->value.kind == AMQP_FIELD_KIND_BYTES)) {
            return e->value.value.bytes;
        }
    }
    return none;
}

static inline amqp_bytes_t motcua_message_id(const amqp_basic_properties_t *props) {
    amqp_bytes_t none = {0, NULL};
    return (props->_flags & AMQP_BASIC_MESSAGE_ID_FLAG) ? props->message_id : none;
}

/// The delivery count quorum queues put in `x-delivery-count` (0 when absent).
static inline long long motcua_delivery_count(const amqp_basic_properties_t *props) {
    if (!(props->_flags & AMQP_BASIC_HEADERS_FLAG)) return 0;
    for (int i = 0; i < props->headers.num_entries; i++) {
        amqp_table_entry_t *e = &props->headers.entries[i];
        if (e->key.len == 16 && memcmp(e->key.bytes, "x-delivery-count", 16) == 0) {
            switch (e->value.kind) {
            case AMQP_FIELD_KIND_I8: return e->value.value.i8;
            case AMQP_FIELD_KIND_I16: return e->value.value.i16;
            case AMQP_FIELD_KIND_I32: return e->value.value.i32;
            case AMQP_FIELD_KIND_I64: return e->value.value.i64;
            case AMQP_FIELD_KIND_U8: return e->value.value.u8;
            case AMQP_FIELD_KIND_U16: return e->value.value.u16;
            case AMQP_FIELD_KIND_U32: return e->value.value.u32;
            case AMQP_FIELD_KIND_U64: return (long long)e->value.value.u64;
            default: return 0;
            }
        }
    }
    return 0;
}

static inline amqp_rpc_reply_t motcua_declare_exchange(amqp_connection_state_t conn, amqp_channel_t ch,
                                                        const char *name, const char *type) {
    amqp_exchange_declare(conn, ch, amqp_cstring_bytes(name), amqp_cstring_bytes(type), 0, 1, 0, 0,
                          amqp_empty_table);
    return amqp_get_rpc_reply(conn);
}

static inline amqp_rpc_reply_t motcua_bind_queue(amqp_connection_state_t conn, amqp_channel_t ch,
                                                  const char *queue, const char *exchange, const char *key) {
    amqp_queue_bind(conn, ch, amqp_cstring_bytes(queue), amqp_cstring_bytes(exchange), amqp_cstring_bytes(key),
                    amqp_empty_table);
    return amqp_get_rpc_reply(conn);
}

static inline amqp_rpc_reply_t motcua_basic_consume(amqp_connection_state_t conn, amqp_channel_t ch,
                                                     const char *queue) {
    amqp_basic_consume(conn, ch, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    return amqp_get_rpc_reply(conn);
}

/// basic.get; returns 1, the delivery tag and the routing key when a message is waiting (read it
/// with amqp_read_message). The key's bytes live in the connection's pool: copy them before reading on.
static inline int motcua_basic_get(amqp_connection_state_t conn, amqp_channel_t ch, const char *queue,
                                   amqp_rpc_reply_t *reply, uint64_t *tag, amqp_bytes_t *routing_key) {
    *reply = amqp_basic_get(conn, ch, amqp_cstring_bytes(queue), 0);
    if (reply->reply_type != AMQP_RESPONSE_NORMAL) return 0;
    if (reply->reply.id != AMQP_BASIC_GET_OK_METHOD) return 0;
    amqp_basic_get_ok_t *ok = (amqp_basic_get_ok_t *)reply->reply.decoded;
    *tag = ok->delivery_tag;
    *routing_key = ok->routing_key;
    return 1;
}

/// A server-named-free private queue: not durable, exclusive to this connection, deleted with it.
static inline amqp_rpc_reply_t motcua_declare_private_queue(amqp_connection_state_t conn, amqp_channel_t ch,
                                                             const char *name) {
    amqp_queue_declare(conn, ch, amqp_cstring_bytes(name), 0, 0, 1, 1, amqp_empty_table);
    return amqp_get_rpc_reply(conn);
}

static inline amqp_rpc_reply_t motcua_confirm_select(amqp_connection_state_t conn, amqp_channel_t ch) {
    amqp_confirm_select(conn, ch);
    return amqp_get_rpc_reply(conn);
}

static inline amqp_rpc_reply_t motcua_qos(amqp_connection_state_t conn, amqp_channel_t ch, uint16_t prefetch) {
    amqp_basic_qos(conn, ch, 0, prefetch, 0);
    return amqp_get_rpc_reply(conn);
}
#endif
