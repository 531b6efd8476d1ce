/// Text literals for PostgreSQL array parameters (`$1::text[]`, `$2::jsonb[]`), so a whole batch
/// travels as a few parameters of one statement.
public enum PostgresArray {
    public static func literal(_ values: [String?]) -> String {
        "{" + values.map { value in
            guard let value else { return "NULL" }
            var escaped = "\""
            for character in value {
                if character == "\\" || character == "\"" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        }.joined(separator: ",") + "}"
    }
}
