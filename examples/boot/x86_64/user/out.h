/* /init's output: build a line, then out_line() writes it (with the newline) in one write(2). */
#ifndef BOOT_INIT_OUT_H
#define BOOT_INIT_OUT_H
#include "sys.h"
void out_str(const char *s);
void out_dec(s64 v);
void out_hex(u64 v);
void tohex(char buf[19], u64 v);	/* "0x" and 16 digits */
void out_line(void);
#endif
