// libhdf5 (Debian: libhdf5-dev; pkg-config hdf5), for Keras's .h5 files and the model.weights.h5
// inside a .keras archive. Swift cannot import HDF5's type and property-list constants (macros that
// call H5open()) nor the calls whose names HDF5 maps to a versioned function (H5Lget_info is
// H5Lget_info1 in 1.10 and H5Lget_info2 in 1.12+); these wrappers give them one stable spelling.
#include <hdf5.h>
#include <H5PLpublic.h>

static inline hid_t modelc_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t modelc_h5s_all(void) { return H5S_ALL; }
static inline hid_t modelc_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline unsigned modelc_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned modelc_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t modelc_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t modelc_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t modelc_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t modelc_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t modelc_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t modelc_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t modelc_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t modelc_h5t_variable(void) { return H5T_VARIABLE; }

/// Once per process: HDF5 prints nothing (errors come back as return values) and never loads
/// filter plugins, so no file can make modelc run code from the plugin folder.
static inline void modelc_h5_quiet(void) {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    H5PLset_loading_state(0);
}

/// 0 hard link, 1 soft, 2 external or user-defined, -1 no such link or an error.
static inline int modelc_h5_link_kind(hid_t group, const char *name) {
    H5L_info_t info;
    if (H5Lget_info(group, name, &info, H5P_DEFAULT) < 0) return -1;
    switch (info.type) {
    case H5L_TYPE_HARD: return 0;
    case H5L_TYPE_SOFT: return 1;
    default: return 2;
    }
}

static herr_t modelc_h5_count_attribute(hid_t location, const char *name, const H5A_info_t *info, void *data) {
    (void)location; (void)name; (void)info;
    *(long *)data += 1;
    return 0;
}

/// How many attributes an object has, or -1.
static inline long modelc_h5_attribute_count(hid_t object) {
    long count = 0;
    hsize_t index = 0;
    if (H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, modelc_h5_count_attribute, &count) < 0) return -1;
    return count;
}

/// Frees what H5Aread/H5Dread allocated for variable-length strings (renamed in 1.12).
static inline herr_t modelc_h5_reclaim(hid_t type, hid_t space, void *buffer) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

/// Number of the object's child links, or -1.
static inline long modelc_h5_link_count(hid_t group) {
    H5G_info_t info;
    if (H5Gget_info(group, &info) < 0) return -1;
    return (long)info.nlinks;
}

static herr_t modelc_h5_error_entry(unsigned n, const H5E_error2_t *entry, void *data) {
    char *buffer = (char *)data;
    if (n == 0 && entry->desc != NULL) {
        size_t length = 0;
        while (entry->desc[length] != 0 && length + 1 < 256) { buffer[length] = entry->desc[length]; length++; }
        buffer[length] = 0;
    }
    return 0;
}

/// The innermost message of HDF5's current error stack (what went wrong at the bottom, such as
/// "truncated file: eof = 96, ..."), at most 255 bytes, into `buffer` of 256 bytes.
static inline void modelc_h5_last_error(char *buffer) {
    buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, modelc_h5_error_entry, buffer);
}
