#include <zlib.h>

/// `inflateInit2` is a macro; this wrapper makes it callable from Swift.
static inline int kc_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
