/* SPDX-License-Identifier: MIT */
/*
 * vdso-run's messages: one clear line on stderr for a failure (die) and the --verbose lines
 * (vlog), shared by every file of the loader and its exec tracer. Both prefix "vdso-run: " so that
 * a line in a mixed log says who wrote it.
 */
#include "vdso_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

bool run_verbose;

/* "vdso-run: " and the message, one line on stderr. */
static void message(const char *fmt, va_list ap)
{
	fputs("vdso-run: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message(fmt, ap);
	va_end(ap);
	exit(2);
}

void vlog(const char *fmt, ...)
{
	if (!run_verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	message(fmt, ap);
	va_end(ap);
}
