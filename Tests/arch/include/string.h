/* SPDX-License-Identifier: MIT */
/* The string functions elf_lookup.c uses; the harness (harness.c) defines them. */
#ifndef ARCH_HARNESS_STRING_H
#define ARCH_HARNESS_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);
#endif
