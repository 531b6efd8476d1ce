import ArgumentParser
import Foundation

/// `motcua-workers --role partner-sim`, the simulator's name before it became an executable of its own:
/// the process becomes `motcua-partner-sim` (installed beside `motcua-workers`), with the same
/// environment, so old scripts keep working while production images can leave the simulator out.
enum PartnerSimAlias {
    static func replaceProcess(prefetch: UInt16) throws -> Never {
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let path = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("motcua-partner-sim")
            .path
        let arguments = [path, "--prefetch", "\(prefetch)"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execv(path, &argv)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(
            Data("motcua-workers: --role partner-sim runs \(path), which failed to start: \(reason)\n".utf8))
        throw ExitCode.failure
    }
}
