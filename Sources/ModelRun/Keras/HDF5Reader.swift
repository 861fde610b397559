import CHDF5

/// Reads an HDF5 file image into an `HDF5Group` tree, refusing what a model file has no business
/// holding and what could make reading unbounded: links (soft or external: they point at other
/// objects or other files), external or virtual storage (data in other files), filters other than
/// deflate, shuffle and fletcher32, more objects or deeper nesting than a model needs (hard links
/// can make a group its own descendant), and datasets whose declared size their stored bytes
/// cannot hold. Every message names the file and the object's path.
public enum HDF5Reader {
    public struct Limits: Sendable {
        /// Groups, datasets and attributes together.
        public var objects = 500_000
        public var depth = 64
        /// Decoded bytes of all datasets together.
        public var bytes = 4 << 30
        /// One attribute's bytes (a Keras `model_config` of a large model is a few MB).
        public var attributeBytes = 64 << 20

        public init() {}
    }

    /// HDF5's signature; Keras's files start with it (no user block).
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func isHDF5(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    /// The tree of an HDF5 file image. libhdf5 is C and crashes on some crafted files (the fuzzer
    /// found overlapping copies in its global heap reader and a null dereference in its attribute
    /// table), so it runs in a child process, `modelc-hdf5` (HDF5Isolation): a crash or a hang
    /// there is an error here.
    /// The child applies the default `Limits`.
    public static func read(_ bytes: [UInt8], file: String) throws(DataError) -> HDF5Group {
        guard isHDF5(bytes) else {
            throw DataError("\(file) is not an HDF5 file (it does not start with HDF5's signature)")
        }
        return try HDF5Isolation.read(bytes, file: file)
    }

    /// The same in this process: what `modelc-hdf5` runs.
    public static func readInProcess(_ bytes: [UInt8], file: String, limits: Limits = Limits()) throws(DataError) -> HDF5Group {
        guard isHDF5(bytes) else {
            throw DataError("\(file) is not an HDF5 file (it does not start with HDF5's signature)")
        }
        return try HDF5Library.locked { () throws(DataError) -> HDF5Group in
            let handles = HDF5Library.Handles()
            let access = handles.keep(H5Pcreate(modelc_h5p_file_access()), H5Pclose)
            guard access >= 0, H5Pset_fapl_core(access, 1 << 16, false) >= 0 else {
                throw DataError("libhdf5 could not set up reading \(file): \(HDF5Library.lastError())")
            }
            let imageSet = bytes.withUnsafeBytes { H5Pset_file_image(access, UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
            guard imageSet >= 0 else { throw DataError("libhdf5 could not take \(file) into memory: \(HDF5Library.lastError())") }
            let id = handles.keep(H5Fopen("modelc-image.h5", modelc_h5f_acc_rdonly(), access), H5Fclose)
            guard id >= 0 else {
                throw DataError("\(file) is not a readable HDF5 file (\(HDF5Library.lastError())); it may be truncated or damaged")
            }
            let root = handles.keep(H5Gopen2(id, "/", modelc_h5p_default()), H5Gclose)
            guard root >= 0 else { throw DataError("\(file): libhdf5 could not open its root group: \(HDF5Library.lastError())") }
            var walk = Walk(file: file, fileSize: bytes.count, limits: limits)
            return try walk.group(root, path: "", depth: 0)
        }
    }

    private struct Walk {
        let file: String
        let fileSize: Int
        let limits: Limits
        var objects = 0
        var bytes = 0

        func error(_ path: String, _ message: String) -> DataError {
            DataError("\(file): \(path.isEmpty ? "/" : path) \(message)")
        }

        mutating func count(_ path: String) throws(DataError) {
            objects += 1
            if objects > limits.objects {
                throw error(path, "is past \(limits.objects) objects; a model file has far fewer (hard links may make a group contain itself)")
            }
        }

        mutating func group(_ id: hid_t, path: String, depth: Int) throws(DataError) -> HDF5Group {
            guard depth <= limits.depth else {
                throw error(path, "is nested \(depth) groups deep; modelc reads at most \(limits.depth) (hard links may make a group contain itself)")
            }
            var group = HDF5Group(attributes: try attributes(of: id, path: path))
            let count = modelc_h5_link_count(id)
            guard count >= 0 else { throw error(path, "cannot be listed: \(HDF5Library.lastError())") }
            for index in 0..<count {
                let name = try linkName(id, index: index, path: path)
                let childPath = path + "/" + name
                try self.count(childPath)
                switch modelc_h5_link_kind(id, name) {
                case 0: break
                case 1: throw error(childPath, "is a soft link; modelc reads only objects stored in the file itself")
                case 2: throw error(childPath, "is an external link to another file; modelc reads only objects stored in the file itself")
                default: throw error(childPath, "cannot be read: \(HDF5Library.lastError())")
                }
                let handles = HDF5Library.Handles()
                let child = handles.keep(H5Oopen(id, name, modelc_h5p_default()), H5Oclose)
                guard child >= 0 else { throw error(childPath, "cannot be opened: \(HDF5Library.lastError())") }
                switch H5Iget_type(child) {
                case H5I_GROUP: group.children.append((name, .group(try self.group(child, path: childPath, depth: depth + 1))))
                case H5I_DATASET: group.children.append((name, .dataset(try dataset(child, path: childPath))))
                default: continue
                }
            }
            return group
        }

        func linkName(_ id: hid_t, index: Int, path: String) throws(DataError) -> String {
            let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), nil, 0, modelc_h5p_default())
            guard length >= 0, length < 4096 else { throw error(path, "has a member whose name cannot be read") }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), &buffer, buffer.count, modelc_h5p_default())
            return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        mutating func attributes(of id: hid_t, path: String) throws(DataError) -> [HDF5Attribute] {
            let count = modelc_h5_attribute_count(id)
            guard count >= 0 else { throw error(path, "has attributes that cannot be listed: \(HDF5Library.lastError())") }
            var result: [HDF5Attribute] = []
            for index in 0..<count {
                try self.count(path)
                let handles = HDF5Library.Handles()
                let attribute = handles.keep(H5Aopen_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), modelc_h5p_default(), modelc_h5p_default()), H5Aclose)
                guard attribute >= 0 else { throw error(path, "has an attribute that cannot be opened: \(HDF5Library.lastError())") }
                let nameLength = H5Aget_name(attribute, 0, nil)
                guard nameLength >= 0, nameLength < 4096 else { throw error(path, "has an attribute whose name cannot be read") }
                var nameBuffer = [CChar](repeating: 0, count: Int(nameLength) + 1)
                _ = H5Aget_name(attribute, nameBuffer.count, &nameBuffer)
                let name = String(decoding: nameBuffer.prefix(Int(nameLength)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if let value = try value(of: attribute, path: "\(path.isEmpty ? "/" : path) attribute \(name)") {
                    result.append(HDF5Attribute(name, value))
                }
            }
            return result
        }

        /// The attribute's value, nil for kinds Keras's files do not use (they are skipped).
        func value(of attribute: hid_t, path: String) throws(DataError) -> HDF5Attribute.Value? {
            let handles = HDF5Library.Handles()
            let type = handles.keep(H5Aget_type(attribute), H5Tclose)
            let space = handles.keep(H5Aget_space(attribute), H5Sclose)
            guard type >= 0, space >= 0 else { throw DataError("\(file): \(path) cannot be read: \(HDF5Library.lastError())") }
            let rank = H5Sget_simple_extent_ndims(space)
            let points = H5Sget_simple_extent_npoints(space)
            guard rank >= 0, rank <= 1, points >= 0 else { return nil }
            let count = Int(points)
            switch H5Tget_class(type) {
            case H5T_STRING:
                let isVariable = H5Tis_variable_str(type) > 0
                let utf8 = H5Tget_cset(type) == H5T_CSET_UTF8
                if count == 0 { return utf8 ? .stringList([]) : .asciiStringList([]) }
                let items: [String]
                if isVariable {
                    guard count <= limits.attributeBytes / 8 else { throw DataError("\(file): \(path) has \(count) strings, more than a model file holds") }
                    let memory = handles.keep(H5Tcopy(modelc_h5t_c_s1()), H5Tclose)
                    H5Tset_size(memory, modelc_h5t_variable())
                    H5Tset_cset(memory, H5Tget_cset(type))
                    var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                    guard H5Aread(attribute, memory, &pointers) >= 0 else { throw DataError("\(file): \(path) cannot be read: \(HDF5Library.lastError())") }
                    var total = 0
                    var texts: [String] = []
                    for pointer in pointers {
                        guard let pointer else { texts.append(""); continue }
                        let text = String(cString: pointer)
                        total += text.utf8.count
                        texts.append(text)
                    }
                    _ = modelc_h5_reclaim(memory, space, &pointers)
                    guard total <= limits.attributeBytes else { throw DataError("\(file): \(path) holds \(total) bytes of text; modelc reads at most \(limits.attributeBytes)") }
                    items = texts
                } else {
                    let width = H5Tget_size(type)
                    guard width > 0, width.multipliedReportingOverflow(by: count).partialValue <= limits.attributeBytes, width <= limits.attributeBytes else {
                        throw DataError("\(file): \(path) declares \(width)-byte strings × \(count); modelc reads at most \(limits.attributeBytes) bytes of text per attribute")
                    }
                    var buffer = [UInt8](repeating: 0, count: width * count)
                    guard H5Aread(attribute, type, &buffer) >= 0 else { throw DataError("\(file): \(path) cannot be read: \(HDF5Library.lastError())") }
                    items = (0..<count).map { index in
                        let slice = buffer[(index * width)..<((index + 1) * width)]
                        let text = slice.prefix { $0 != 0 }
                        return String(decoding: text, as: UTF8.self).trimmingSuffix(" ")
                    }
                }
                // Fixed-length strings (other writers than h5py) read as the same text.
                if rank == 0 { return utf8 ? .string(items[0]) : .asciiString(items[0]) }
                return utf8 ? .stringList(items) : .asciiStringList(items)
            case H5T_INTEGER where rank == 0:
                var value: Int64 = 0
                guard H5Aread(attribute, modelc_h5t_native_int64(), &value) >= 0 else { return nil }
                return .int(value)
            case H5T_FLOAT where rank == 1 && count == 0:
                return .emptyList
            case H5T_FLOAT where rank == 0:
                var value: Double = 0
                guard H5Aread(attribute, modelc_h5t_native_double(), &value) >= 0 else { return nil }
                return .double(value)
            default:
                return nil
            }
        }

        /// What an HDF5 type class holds, in words (`H5T_class_t`'s numbering).
        static func kind(of typeClass: H5T_class_t) -> String {
            let names = ["integers", "floating-point numbers", "times", "strings", "bit fields", "opaque bytes",
                         "compound records", "references", "enumerations", "variable-length sequences", "arrays"]
            let index = Int(typeClass.rawValue)
            return names.indices.contains(index) ? names[index] : "values of HDF5 type class \(index)"
        }

        mutating func dataset(_ id: hid_t, path: String) throws(DataError) -> HDF5Dataset {
            let handles = HDF5Library.Handles()
            let type = handles.keep(H5Dget_type(id), H5Tclose)
            let space = handles.keep(H5Dget_space(id), H5Sclose)
            let creation = handles.keep(H5Dget_create_plist(id), H5Pclose)
            guard type >= 0, space >= 0, creation >= 0 else { throw error(path, "cannot be read: \(HDF5Library.lastError())") }
            let rank = H5Sget_simple_extent_ndims(space)
            guard rank >= 0, rank <= 32 else { throw error(path, "has \(rank) dimensions; weights have at most 32") }
            var dims = [hsize_t](repeating: 0, count: Int(rank))
            if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
            var elements = 1
            for dim in dims {
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(clamping: dim))
                guard !overflow, dim <= hsize_t(Int32.max) else { throw error(path, "declares a shape \(dims) too large for any model") }
                elements = product
            }
            let typeClass = H5Tget_class(type)
            guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else {
                throw error(path, "holds \(Self.kind(of: typeClass)), not numbers; Keras stores weights as float32")
            }
            let storedWidth = H5Tget_size(type)
            guard storedWidth > 0, storedWidth <= 8 else { throw error(path, "has \(storedWidth)-byte elements; modelc reads numbers of at most 8 bytes") }
            let declared = elements.multipliedReportingOverflow(by: storedWidth)
            guard !declared.overflow else { throw error(path, "declares a shape \(dims) too large for any model") }
            if H5Pget_external_count(creation) > 0 {
                throw error(path, "keeps its data in an external file; modelc reads only data stored in the file itself")
            }
            if H5Pget_layout(creation) == H5D_VIRTUAL {
                throw error(path, "is a virtual dataset (its data lives in other files); modelc reads only data stored in the file itself")
            }
            let filters = H5Pget_nfilters(creation)
            for index in 0..<max(filters, 0) {
                var flags: UInt32 = 0
                var count = 0
                var config: UInt32 = 0
                let filter = H5Pget_filter2(creation, UInt32(index), &flags, &count, nil, 0, nil, &config)
                guard filter == H5Z_FILTER_DEFLATE || filter == H5Z_FILTER_SHUFFLE || filter == H5Z_FILTER_FLETCHER32 else {
                    throw error(path, "is compressed with HDF5 filter \(filter), which modelc does not read (it reads gzip, shuffle and fletcher32)")
                }
            }
            let stored = Int(clamping: H5Dget_storage_size(id))
            if elements > 0 {
                // Without filters the data is stored as declared; with them, gzip expands at most ~1,032×.
                let holds = filters > 0 ? stored.multipliedReportingOverflow(by: 1032).partialValue : stored
                guard stored > 0, stored <= fileSize, declared.partialValue <= holds else {
                    throw error(path, "declares \(elements) values (\(dims)) but the file stores \(stored) bytes for it; the file is damaged or truncated")
                }
            }
            let memory = elements.multipliedReportingOverflow(by: typeClass == H5T_FLOAT ? 4 : 8)
            bytes += memory.partialValue
            guard !memory.overflow, bytes <= limits.bytes else {
                throw error(path, "takes the weights past \(limits.bytes >> 30) GiB, more than modelc reads")
            }
            let attributes = try attributes(of: id, path: path)
            let shape = dims.map { Int($0) }
            if typeClass == H5T_FLOAT {
                var values = [Float](repeating: 0, count: elements)
                if elements > 0 {
                    let status = values.withUnsafeMutableBytes { H5Dread(id, modelc_h5t_native_float(), modelc_h5s_all(), modelc_h5s_all(), modelc_h5p_default(), $0.baseAddress) }
                    guard status >= 0 else { throw error(path, "cannot be read: \(HDF5Library.lastError())") }
                }
                return HDF5Dataset(shape: shape, values: .float32(values), attributes: attributes)
            }
            var values = [Int64](repeating: 0, count: elements)
            if elements > 0 {
                let status = values.withUnsafeMutableBytes { H5Dread(id, modelc_h5t_native_int64(), modelc_h5s_all(), modelc_h5s_all(), modelc_h5p_default(), $0.baseAddress) }
                guard status >= 0 else { throw error(path, "cannot be read: \(HDF5Library.lastError())") }
            }
            return HDF5Dataset(shape: shape, values: .int64(values), attributes: attributes)
        }
    }
}

private extension String {
    func trimmingSuffix(_ character: Character) -> String {
        var text = self
        while text.last == character { text.removeLast() }
        return text
    }
}
