import Foundation

/// `.npz` (numpy's zip of .npy members, stored or deflated): every member by name without ".npy".
public enum NumpyArchive {
    /// The most one archive may expand to; it also bounds any single member, so a zip bomb is
    /// refused from its declared sizes before anything is inflated.
    public static let expansionLimit = 2 << 30

    /// Reads an `.npz` file; a missing file names the path tried.
    public static func read(_ path: String) throws(DataError) -> [String: NumpyArray] {
        try decode(DataFile.read(path, what: "the .npz file"), file: path)
    }

    /// The arrays of `.npz` bytes; `file` names the archive in messages.
    public static func decode(_ bytes: [UInt8], file: String) throws(DataError) -> [String: NumpyArray] {
        let members: [ZipMembers.Member]
        do {
            members = try ZipMembers.list(bytes)
        } catch {
            throw DataError("\(file) \(error.reason); save the arrays again with numpy.savez or numpy.savez_compressed.")
        }
        var arrays: [String: NumpyArray] = [:]
        var expanded = 0
        for member in members where !member.isDirectory {
            guard member.name.hasSuffix(".npy"), member.name.count > 4 else {
                throw DataError("\(file) holds the member '\(FileExcerpts.name(member.name, limit: 60))', which is not a .npy array; an .npz file should hold only the .npy members numpy.savez writes.")
            }
            let key = String(member.name.dropLast(4))
            guard arrays[key] == nil else {
                throw DataError("\(file) holds two members named '\(FileExcerpts.name(member.name, limit: 60))'; save the arrays again with numpy.savez.")
            }
            let content: [UInt8]
            do {
                content = try ZipMembers.contents(of: member, in: bytes, limit: expansionLimit - expanded)
            } catch {
                throw DataError("The member '\(FileExcerpts.name(member.name, limit: 60))' of \(file) \(error.reason).")
            }
            expanded += content.count
            arrays[key] = try NumpyArray.decode(content, file: "\(file)[\(FileExcerpts.name(key, limit: 60))]")
        }
        guard !arrays.isEmpty else {
            throw DataError("\(file) holds no arrays; save them with numpy.savez(path, x=x, y=y).")
        }
        return arrays
    }

    /// The bytes of an `.npz` archive holding `arrays` (stored, as numpy.savez writes), members in order.
    public static func encode(_ arrays: [(name: String, array: NumpyArray)]) throws(DataError) -> [UInt8] {
        try ZipMembers.stored(arrays.map { ($0.name + ".npy", $0.array.encoded()) }, what: ".npz")
    }
}
