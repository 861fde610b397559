import CHDF5
import Foundation

/// Writes an `HDF5Group` tree as an HDF5 file image in memory (HDF5's core driver without a
/// backing file), so that the caller decides where the bytes go: into a `.keras` zip member or
/// through `AtomicFile` to a `.h5` path. Weights are stored as `<f4` and counters as `<i8`, as
/// h5py stores numpy's float32 and int64 arrays.
public enum HDF5Writer {
    public static func image(of root: HDF5Group) throws(DataError) -> [UInt8] {
        try HDF5Library.locked { () throws(DataError) -> [UInt8] in
            let handles = HDF5Library.Handles()
            let access = handles.keep(H5Pcreate(modelc_h5p_file_access()), H5Pclose)
            guard access >= 0, H5Pset_fapl_core(access, 1 << 16, false) >= 0 else { throw failure("set up an in-memory file") }
            let file = H5Fcreate("modelc-image.h5", modelc_h5f_acc_trunc(), modelc_h5p_default(), access)
            guard file >= 0 else { throw failure("create an in-memory file") }
            do throws(DataError) {
                let rootGroup = H5Gopen2(file, "/", modelc_h5p_default())
                defer { H5Gclose(rootGroup) }
                try write(root, into: rootGroup, path: "")
            } catch {
                H5Fclose(file)
                throw error
            }
            guard H5Fflush(file, H5F_SCOPE_GLOBAL) >= 0 else { H5Fclose(file); throw failure("flush the file") }
            let size = H5Fget_file_image(file, nil, 0)
            guard size > 0 else { H5Fclose(file); throw failure("take the file's image") }
            var bytes = [UInt8](repeating: 0, count: size)
            let copied = bytes.withUnsafeMutableBytes { H5Fget_file_image(file, $0.baseAddress, size) }
            H5Fclose(file)
            guard copied == size else { throw failure("take the file's image") }
            return bytes
        }
    }

    private static func failure(_ step: String) -> DataError {
        DataError("libhdf5 could not \(step): \(HDF5Library.lastError())")
    }

    private static func write(_ group: HDF5Group, into id: hid_t, path: String) throws(DataError) {
        for attribute in group.attributes { try write(attribute, on: id, path: path) }
        for (name, node) in group.children {
            let childPath = path + "/" + name
            let handles = HDF5Library.Handles()
            switch node {
            case .group(let child):
                let childID = handles.keep(H5Gcreate2(id, name, modelc_h5p_default(), modelc_h5p_default(), modelc_h5p_default()), H5Gclose)
                guard childID >= 0 else { throw failure("create the group \(childPath)") }
                try write(child, into: childID, path: childPath)
            case .dataset(let dataset):
                try write(dataset, named: name, into: id, path: childPath)
            }
        }
    }

    private static func write(_ dataset: HDF5Dataset, named name: String, into parent: hid_t, path: String) throws(DataError) {
        let handles = HDF5Library.Handles()
        let space = handles.keep(dataspace(dataset.shape), H5Sclose)
        guard space >= 0 else { throw failure("describe the shape of \(path)") }
        let (fileType, memoryType) = switch dataset.values {
        case .float32: (modelc_h5t_ieee_f32le(), modelc_h5t_native_float())
        case .int64: (modelc_h5t_std_i64le(), modelc_h5t_native_int64())
        }
        let id = handles.keep(H5Dcreate2(parent, name, fileType, space, modelc_h5p_default(), modelc_h5p_default(), modelc_h5p_default()), H5Dclose)
        guard id >= 0 else { throw failure("create the dataset \(path)") }
        let status: herr_t = switch dataset.values {
        case .float32(let values): values.withUnsafeBytes { H5Dwrite(id, memoryType, modelc_h5s_all(), modelc_h5s_all(), modelc_h5p_default(), $0.baseAddress) }
        case .int64(let values): values.withUnsafeBytes { H5Dwrite(id, memoryType, modelc_h5s_all(), modelc_h5s_all(), modelc_h5p_default(), $0.baseAddress) }
        }
        guard status >= 0 else { throw failure("write the dataset \(path)") }
        for attribute in dataset.attributes { try write(attribute, on: id, path: path) }
    }

    /// A scalar dataspace for `[]`, else a simple one (a zero size gives an empty array).
    private static func dataspace(_ shape: [Int]) -> hid_t {
        if shape.isEmpty { return H5Screate(H5S_SCALAR) }
        let dims = shape.map { hsize_t($0) }
        return H5Screate_simple(Int32(dims.count), dims, nil)
    }

    private static func write(_ attribute: HDF5Attribute, on object: hid_t, path: String) throws(DataError) {
        let handles = HDF5Library.Handles()
        let where_ = "the attribute \(attribute.name) of \(path.isEmpty ? "/" : path)"
        func create(_ type: hid_t, _ shape: [Int]) throws(DataError) -> hid_t {
            let space = handles.keep(dataspace(shape), H5Sclose)
            let id = handles.keep(H5Acreate2(object, attribute.name, type, space, modelc_h5p_default(), modelc_h5p_default()), H5Aclose)
            guard space >= 0, id >= 0 else { throw failure("create \(where_)") }
            return id
        }
        func stringType(variable: Bool, size: Int, utf8: Bool) -> hid_t {
            let type = handles.keep(H5Tcopy(modelc_h5t_c_s1()), H5Tclose)
            H5Tset_size(type, variable ? modelc_h5t_variable() : max(size, 1))
            H5Tset_cset(type, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII)
            if !variable { H5Tset_strpad(type, H5T_STR_NULLPAD) }
            // h5py writes variable-length strings null-terminated.
            if variable { H5Tset_strpad(type, H5T_STR_NULLTERM) }
            return type
        }
        func strings(_ items: [String], ascii: Bool, scalar: Bool) throws(DataError) -> herr_t {
            let type = stringType(variable: true, size: 0, utf8: !ascii)
            let id = try create(type, scalar ? [] : [items.count])
            let copies = items.map { strdup($0) }
            defer { copies.forEach { free($0) } }
            var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
            return items.isEmpty ? 0 : H5Awrite(id, type, &pointers)
        }
        let status: herr_t
        switch attribute.value {
        case .string(let text): status = try strings([text], ascii: false, scalar: true)
        case .asciiString(let text): status = try strings([text], ascii: true, scalar: true)
        case .stringList(let items): status = try strings(items, ascii: false, scalar: false)
        case .asciiStringList(let items): status = try strings(items, ascii: true, scalar: false)
        case .emptyList:
            _ = try create(modelc_h5t_ieee_f64le(), [0])
            status = 0
        case .int(let value):
            let id = try create(modelc_h5t_std_i64le(), [])
            var copy = value
            status = H5Awrite(id, modelc_h5t_native_int64(), &copy)
        case .double(let value):
            let id = try create(modelc_h5t_ieee_f64le(), [])
            var copy = value
            status = H5Awrite(id, modelc_h5t_native_double(), &copy)
        }
        guard status >= 0 else { throw failure("write \(where_)") }
    }
}
