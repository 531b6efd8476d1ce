/// Text literals for PostgreSQL array parameters (`$1::text[]`, `$2::jsonb[]`), so a whole batch
/// travels as a few parameters of one statement.
public enum PostgresArray {
    public static func literal(_ values: [String?]) -> String {
        "{"
            + values.map { value in
                guard let value else { return "NULL" }
                // By Unicode scalar, not by Character: a quote followed by a combining mark is one Character
                // that is not equal to `"`, and would slip through unescaped.
                var escaped = String.UnicodeScalarView()
                escaped.append("\"")
                for scalar in value.unicodeScalars {
                    if scalar == "\\" || scalar == "\"" { escaped.append("\\") }
                    escaped.append(scalar)
                }
                escaped.append("\"")
                return String(escaped)
            }.joined(separator: ",") + "}"
    }
}
