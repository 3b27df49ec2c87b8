#include <hdf5.h>
#include <hdf5_hl.h>

/* Macros and global ids that do not import into Swift, wrapped as inline functions. */
static inline hid_t kc_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t kc_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t kc_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hid_t kc_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t kc_H5P_GROUP_CREATE(void) { return H5P_GROUP_CREATE; }
static inline hid_t kc_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t kc_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t kc_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline unsigned kc_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned kc_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned kc_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned kc_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline hid_t kc_H5T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
static inline hid_t kc_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t kc_H5T_NATIVE_INT16(void) { return H5T_NATIVE_INT16; }
static inline hid_t kc_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t kc_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t kc_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t kc_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t kc_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t kc_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t kc_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }

static inline hid_t kc_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t kc_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t kc_H5T_STD_I8LE(void) { return H5T_STD_I8LE; }
static inline hid_t kc_H5T_STD_U8LE(void) { return H5T_STD_U8LE; }
static inline hid_t kc_H5T_STD_I16LE(void) { return H5T_STD_I16LE; }
static inline hid_t kc_H5T_STD_U16LE(void) { return H5T_STD_U16LE; }
static inline hid_t kc_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t kc_H5T_STD_U32LE(void) { return H5T_STD_U32LE; }
static inline hid_t kc_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t kc_H5T_STD_U64LE(void) { return H5T_STD_U64LE; }
static inline hid_t kc_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t kc_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline haddr_t kc_HADDR_UNDEF(void) { return HADDR_UNDEF; }
static inline herr_t kc_H5Eset_auto_off(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
static inline int kc_H5_VERS_MAJOR(void) { return H5_VERS_MAJOR; }
static inline int kc_H5_VERS_MINOR(void) { return H5_VERS_MINOR; }
static inline int kc_H5_VERS_RELEASE(void) { return H5_VERS_RELEASE; }

/* Added for HDF5Writer and HDF5Oracle. */
static inline hid_t kc_H5T_IEEE_F32BE(void) { return H5T_IEEE_F32BE; }
static inline hid_t kc_H5T_IEEE_F64BE(void) { return H5T_IEEE_F64BE; }
static inline hid_t kc_H5T_NATIVE_SCHAR(void) { return H5T_NATIVE_SCHAR; }
static inline hid_t kc_H5P_DATASET_XFER(void) { return H5P_DATASET_XFER; }
static inline hid_t kc_H5P_ATTRIBUTE_CREATE(void) { return H5P_ATTRIBUTE_CREATE; }
static inline unsigned kc_H5O_INFO_ALL(void) { return H5O_INFO_ALL; }
static inline hid_t kc_H5E_ERR_CLS(void) { return H5E_ERR_CLS; }
static inline int kc_H5is_threadsafe(void) {
    hbool_t is_ts = 0;
    if (H5is_library_threadsafe(&is_ts) < 0) return -1;
    return is_ts ? 1 : 0;
}
static inline H5F_libver_t kc_H5F_LIBVER_LATEST(void) { return H5F_LIBVER_LATEST; }
/* Identifiers still open on one file (the file itself included); H5F_OBJ_ALL | H5F_OBJ_LOCAL. */
static inline ssize_t kc_H5Fget_open_count(hid_t file_id) {
    return H5Fget_obj_count(file_id, H5F_OBJ_ALL | H5F_OBJ_LOCAL);
}
