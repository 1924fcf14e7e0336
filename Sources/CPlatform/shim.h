/* Linux interfaces the Glibc module does not export to Swift. */
#include <sys/auxv.h>
/* syncfs(2) is a GNU extension; the Glibc module is imported without _GNU_SOURCE. */
extern int syncfs(int fd);
/* mkostemp(3), for a temporary file opened close-on-exec: also a GNU extension. */
extern int mkostemp(char *template_, int flags);
