/* libzstd's one-shot decompression: debug sections compressed with ELFCOMPRESS_ZSTD, which the
 * libelf of elfutils before 0.189 cannot inflate itself. */
#include <zstd.h>
