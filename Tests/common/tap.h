/* SPDX-License-Identifier: MIT */
/*
 * TAP-style reporting shared by the C test programs (e2e harness, stress test, getrandom test):
 * "ok N - desc" / "not ok N - desc: details", counted in `passed` and `failed` for the final
 * "N passed, M failed" line each program prints.
 */
#ifndef VDSOGEN_TESTS_TAP_H
#define VDSOGEN_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int passed, failed;

__attribute__((format(printf, 3, 4), unused))
static void report(int ok, const char *desc, const char *fmt, ...)
{
	int n = passed + failed + 1;
	if (ok) {
		printf("ok %d - %s\n", n, desc);
		passed++;
		return;
	}
	char buf[512] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	printf("not ok %d - %s: %s\n", n, desc, buf);
	failed++;
}

#endif /* VDSOGEN_TESTS_TAP_H */
