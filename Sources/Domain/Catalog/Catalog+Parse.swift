import Foundation

extension Catalog {
    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case refused([FieldError])

        public var description: String {
            switch self {
            case .unreadable(let reason): return reason
            case .refused(let problems):
                return "catalog refused: " + problems.map(\.description).joined(separator: "; ")
            }
        }
    }

    /// Parses a catalog document, naming the path of the first field that does not decode.
    public static func parse(_ data: Data) throws -> Catalog {
        do {
            return try JSONCoding.decode(Catalog.self, from: data)
        } catch let error as DecodingError {
            throw LoadError.unreadable("catalog refused: " + DecodingErrorText.describe(error))
        } catch {
            throw LoadError.unreadable("catalog refused: not valid JSON")
        }
    }
}
