/* SPDX-License-Identifier: MIT */
/*
 * --follow-exec=event: a program the loader started (the top one, whose
 * /proc/self/exe names the loader) that re-executes itself through
 * /proc/self/exe.  The kernel has loaded the loader, with the program's argv,
 * and not run it: its stack gets the loader's command line in front of that
 * argv, built below the kernel's, and the loader maps the program with our
 * image.  "--follow=T:K EXE" for vdso-run (the seccomp mode's followed
 * exec), vdso-run32's own options for it.  Any other exec of the loader
 * (`vdsogen run` inside the tree) runs as is.
 */
#include "inject.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void reexec_program(pid_t pid, int mem, bool is_i386, const struct inject_saved *saved, unsigned long ip,
			   unsigned long sp, const char *exe, const char **pre, size_t npre)
{
	size_t w = is_i386 ? 4 : 8, cap = 65536;
	unsigned char *b = malloc(cap);
	if (!b)
		die("out of memory");
	ssize_t got = pread(mem, b, cap, (off_t)sp);
	size_t n = got > 0 ? (size_t)got / w : 0, i;
#define WORD(k) (w == 4 ? (uint64_t)((const uint32_t *)b)[k] : ((const uint64_t *)b)[k])
	uint64_t argc = n ? WORD(0) : 0, execfn = 0;
	if (!n || argc >= n - 1 || WORD(1 + argc) != 0)
		goto out;
	for (i = 2 + argc; i < n && WORD(i); i++)
		;
	for (i++; i + 1 < n && WORD(i) != AT_NULL; i += 2)
		if (WORD(i) == AT_EXECFN)
			execfn = WORD(i + 1);
#undef WORD
	if (i + 1 >= n || !execfn)
		goto out;
	size_t words = i + 2;	/* argc through AT_NULL's pair */
	char fn[64] = { 0 };
	int pidn, end = 0;
	if (pread(mem, fn, sizeof fn - 1, (off_t)execfn) <= 0)
		goto out;
	if (strcmp(fn, "/proc/self/exe") && strcmp(fn, "/proc/thread-self/exe") &&
	    !(sscanf(fn, "/proc/%d/exe%n", &pidn, &end) == 1 && end > 0 && !fn[end]))
		goto out;
	size_t slen = 0;
	for (size_t k = 0; k < npre; k++)
		slen += strlen(pre[k]) + 1;
	size_t nwords = words + 1 + npre;	/* argv[0] (the loader's, ignored) and the options in front */
	if (nwords > (1u << 20) || sp < PARAMS_GAP + slen + nwords * w + 64)
		goto out;
	unsigned long strs = (sp - PARAMS_GAP - slen) & ~15UL;
	unsigned long new_sp = (strs - nwords * w) & ~15UL;
	size_t len = (size_t)(sp - PARAMS_GAP - new_sp);
	unsigned char *nb = calloc(1, len);
	if (!nb)
		die("out of memory");
	uint64_t v[64];
	size_t k = 0;
	v[k++] = argc + 1 + npre;
	memcpy(&v[k], b + w, w);	/* argv[0] as it was, in either width */
	v[k] = w == 4 ? (uint64_t)*(const uint32_t *)&v[k] : v[k];
	k++;
	unsigned long at = strs;
	for (size_t q = 0; q < npre && k < 64; q++) {
		memcpy(nb + (at - new_sp), pre[q], strlen(pre[q]) + 1);
		v[k++] = at;
		at += strlen(pre[q]) + 1;
	}
	for (size_t q = 0; q < k; q++) {
		uint32_t v32 = (uint32_t)v[q];
		memcpy(nb + q * w, w == 4 ? (const void *)&v32 : (const void *)&v[q], w);
	}
	memcpy(nb + k * w, b + w, (words - 1) * w);	/* ARGV, NULL, envp, NULL, auxv */
	bool ok = k == 2 + npre && pwrite(mem, nb, len, (off_t)new_sp) == (ssize_t)len &&
		  arch_inject_enter(pid, saved, ip, new_sp) == 0;
	free(nb);
	if (ok && ev.verbose)
		vlog("exec in pid %d: %s names the loader: it runs %s again", (int)pid, fn, exe);
out:
	free(b);
}

void exec_reexec_loader(pid_t pid, int mem, bool is_i386, const struct inject_saved *saved, unsigned long ip,
			unsigned long sp, const char *exe)
{
	if (!is_i386) {
		const char *pre[] = { ev.follow_arg, exe };
		reexec_program(pid, mem, is_i386, saved, ip, sp, exe, pre, 2);
		return;
	}
	char writer[16];
	snprintf(writer, sizeof writer, "%d", (int)ev.writer);
	const char *pre[16];
	size_t n = 0;
	if (ev.verbose)
		pre[n++] = "--verbose";
	if (ev.no_vdso) {
		pre[n++] = "--no-vdso";
	} else {
		const char *o[] = { "--image", ev.k32.path, "--data", ev.data_path, "--data-pages", ev.data_pages_arg,
				    "--writer-pid", writer };
		for (size_t q = 0; q < 8; q++)
			pre[n++] = o[q];
	}
	const char *t[] = { "--exec", exe, "--execfn", exe, "--" };
	for (size_t q = 0; q < 5; q++)
		pre[n++] = t[q];
	reexec_program(pid, mem, is_i386, saved, ip, sp, exe, pre, n);
}
