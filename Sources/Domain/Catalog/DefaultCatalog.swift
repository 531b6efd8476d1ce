import Foundation

/// The catalog `motcua migrate` loads: the units of the seed reports, a set of real procedures and the
/// holiday calendars of DOMAIN.md §4. It is `Sources/Domain/Resources/default-catalog.json`, shipped
/// as the Shared target's resource; `catalog/default.json` points at it, for operators to copy.
public enum DefaultCatalog {
    public static func data() throws -> Data {
        guard let data = InstalledResource.data(named: "default-catalog.json", target: "Domain") else {
            throw CatalogError.notInstalled
        }
        return data
    }

    /// The Decision 766 indicators `migrate` loads beside it: a catalog file of its own
    /// (`Sources/Domain/Resources/index766.json`, `catalog/index766.json`), with only `index766`.
    public static func indicators() throws -> Data {
        guard let data = InstalledResource.data(named: "index766.json", target: "Domain") else {
            throw CatalogError.notInstalled
        }
        return data
    }

    public enum CatalogError: Error, CustomStringConvertible {
        case notInstalled
        public var description: String {
            "the default catalog is not installed: motcua_Domain.resources/ (default-catalog.json, index766.json) must sit beside the executable"
        }
    }
}

/// A file of a target's resource bundle, found beside the executable (as SwiftPM lays it out, and as
/// the Docker image copies it). Looked up by hand: `Bundle.module` stops the process when the bundle
/// is missing, and a missing file is worth an error, not a crash.
public enum InstalledResource {
    /// A folder of resources (`.copy("Resources/…")`) beside the executable, if it is installed.
    public static func folder(named name: String, target: String) -> URL? {
        let bundle = "motcua_\(target).resources"
        let beside = Bundle.main.bundleURL.appendingPathComponent(bundle)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(bundle)
        var isFolder: ObjCBool = false
        return [beside, executable].map { $0.appendingPathComponent(name) }.first {
            FileManager.default.fileExists(atPath: $0.path, isDirectory: &isFolder) && isFolder.boolValue
        }
    }

    public static func data(named name: String, target: String) -> Data? {
        let bundle = "motcua_\(target).resources"
        let beside = Bundle.main.bundleURL.appendingPathComponent(bundle)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(bundle)
        for folder in [beside, executable] {
            if let data = try? Data(contentsOf: folder.appendingPathComponent(name)) { return data }
        }
        return nil
    }
}
