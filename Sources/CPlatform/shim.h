/* Linux interfaces the Glibc module does not export to Swift. */
#include <sys/auxv.h>
