/* Linux interfaces the Glibc module does not export to Swift. */
#include <sys/auxv.h>
/* syncfs(2) is a GNU extension; the Glibc module is imported without _GNU_SOURCE. */
extern int syncfs(int fd);
