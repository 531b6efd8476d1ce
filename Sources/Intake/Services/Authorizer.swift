import Domain
import Foundation
import Hummingbird
import Runtime

/// Checks bearer tokens and their unit scopes (CONTRACT.md: a token acts for its unit and descendants).
struct Authorizer: Sendable {
    let tokens: [String: APIToken]

    init(tokens: [APIToken]) {
        self.tokens = Dictionary(tokens.map { ($0.token, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The caller's token, or a 401 problem.
    func authenticate(_ request: Request) throws -> APIToken {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw Problem.unauthorized()
        }
        // Trimmed by hand: Foundation's `trimmingCharacters(in:)` was 1.5% of intake's CPU under load.
        var presented = header.dropFirst(7)
        while presented.first?.isWhitespace == true { presented.removeFirst() }
        while presented.last?.isWhitespace == true { presented.removeLast() }
        guard let token = tokens[String(presented)] else { throw Problem.unauthorized() }
        return token
    }

    /// A 403 problem unless `token` may act for `unit` on `day` (a dossier's receipt day; today when nil).
    func authorize(_ token: APIToken, unit: String, on day: LocalDate? = nil, catalog: CatalogSnapshot) throws {
        guard
            token.isGlobal || catalog.unit(unit, isWithin: token.scope, on: day)
                || followsSuccessor(token, unit, day, catalog)
        else { throw Problem.forbidden(unit: unit) }
    }

    /// A `+successor` token of an ended unit acts for what its successor holds.
    private func followsSuccessor(_ token: APIToken, _ unit: String, _ day: LocalDate?, _ catalog: CatalogSnapshot)
        -> Bool
    {
        guard token.followsSuccessor,
            let successor = catalog.successor(of: token.scope, on: VietnamTime.local(Date()).date)
        else { return false }
        return catalog.unit(unit, isWithin: successor, on: day)
    }

    /// The code a route names, in the token's scope by its receiving unit (`scopedCode`), or else by the unit
    /// handling it now (`handlingUnit` looks it up only then): the handling unit's staff act on a dossier
    /// another unit of the province received for it, or that a transfer or a merger passed to it.
    func scopedCode(
        _ text: String, token: APIToken, catalog: CatalogSnapshot, handlingUnit: (String) async throws -> String?
    ) async throws -> DossierCode {
        do {
            return try scopedCode(text, token: token, catalog: catalog)
        } catch let refusal as Problem {
            guard let code = DossierCode(text), let handler = try await handlingUnit(code.description),
                handler != code.unitCode, (try? authorize(token, unit: handler, catalog: catalog)) != nil
            else { throw refusal }
            return code
        }
    }

    /// The code a route names, checked against the token's scope BEFORE anything is looked up: the unit
    /// is part of the code, so "not yours" is 403 whether or not the dossier exists, and nothing about
    /// another unit's codes can be learnt. A malformed code is 404 for everyone.
    func scopedCode(_ text: String, token: APIToken, catalog: CatalogSnapshot) throws -> DossierCode {
        guard let code = DossierCode(text) else { throw Problem.notFound("No dossier has code \(text.prefix(40)).") }
        try authorize(token, unit: code.unitCode, on: code.day, catalog: catalog)
        return code
    }
}
