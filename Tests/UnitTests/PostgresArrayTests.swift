import Store
import Testing

/// Arrays handed to libpq as text literals (`unnest($1::text[])`).
@Suite struct PostgresArrayTests {
    @Test func arrayLiteralsEscapeQuotesAndBackslashes() {
        #expect(PostgresArray.literal(["a", nil, #"{"k": "v\"x"}"#]) == #"{"a",NULL,"{\"k\": \"v\\\"x\"}"}"#)
    }

    /// Text that travels as array literals is never cut or unescaped (issue: characters the database refuses).
    @Test func aQuoteFollowedByACombiningMarkIsStillEscaped() {
        // `"` + U+0301 is one Character but two scalars; the quote must still be escaped.
        #expect(PostgresArray.literal(["\"\u{301}A", "b\\"]) == "{\"\\\"\u{301}A\",\"b\\\\\"}")
        #expect(PostgresArray.literal([nil, "\u{301}"]) == "{NULL,\"\u{301}\"}")
    }
}
