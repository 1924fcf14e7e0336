/* SPDX-License-Identifier: MIT */
/* The initial process stack, laid out as Linux's create_elf_tables() does. */
#include "vdso_run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#endif
#ifndef AT_HWCAP3
#define AT_HWCAP3 29
#define AT_HWCAP4 30
#endif

#define STACK_SIZE	(8UL << 20)
#define MAX_AUXV	40

extern char **environ;

static uintptr_t push_str(uintptr_t *p, const char *s)
{
	size_t n = strlen(s) + 1;
	*p -= n;
	memcpy((void *)*p, s, n);
	return *p;
}

/* The kernel's value of an auxv entry, and whether it gave one. */
static bool kernel_aux(unsigned long type, unsigned long *v)
{
	errno = 0;
	*v = getauxval(type);
	return !(*v == 0 && errno == ENOENT);
}

void stack_build(const struct run_options *opt, char **argv, const char *execfn,
		 const struct loaded_elf *prog, const struct loaded_elf *interp,
		 uintptr_t sysinfo_ehdr, uintptr_t sysinfo, struct stack_info *out)
{
	int prot = PROT_READ | PROT_WRITE | (prog->exec_stack ? PROT_EXEC : 0);
	void *m = mmap(NULL, STACK_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		die("mmap stack: %s", strerror(errno));
	/* A guard page at the bottom. */
	mprotect(m, RUN_PAGE, PROT_NONE);
	uintptr_t top = (uintptr_t)m + STACK_SIZE, p = top;
	(void)opt;

	int argc = 0, envc = 0;
	while (argv[argc])
		argc++;
	while (environ && environ[envc])
		envc++;
	uintptr_t *argp = calloc((size_t)argc + 1, sizeof *argp);
	uintptr_t *envp = calloc((size_t)envc + 1, sizeof *envp);
	if (!argp || !envp)
		die("out of memory");

	/* Strings at the top, as the kernel puts them: execfn, env, args, platform. */
	p -= sizeof(uintptr_t);
	uintptr_t execfn_p = push_str(&p, execfn);
	for (int i = envc - 1; i >= 0; i--)
		envp[i] = push_str(&p, environ[i]);
	for (int i = argc - 1; i >= 0; i--)
		argp[i] = push_str(&p, argv[i]);
	uintptr_t platform_p = push_str(&p, arch_platform);
	p &= ~(uintptr_t)15;
	p -= 16;
	uintptr_t random_p = p;
	if (getrandom((void *)random_p, 16, 0) != 16)
		die("getrandom: %s", strerror(errno));

	unsigned long aux[MAX_AUXV][2];
	int n = 0;
	unsigned long v;
#define AUX(t, val) do { aux[n][0] = (t); aux[n][1] = (unsigned long)(val); n++; } while (0)
	/* i386 (ARCH_DLINFO_IA32): the system call gate first, then the image. */
	if (sysinfo)
		AUX(AT_SYSINFO, sysinfo);
	if (sysinfo_ehdr)
		AUX(AT_SYSINFO_EHDR, sysinfo_ehdr);
	if (kernel_aux(AT_MINSIGSTKSZ, &v))
		AUX(AT_MINSIGSTKSZ, v);
	AUX(AT_HWCAP, getauxval(AT_HWCAP));
	AUX(AT_PAGESZ, RUN_PAGE);
	AUX(AT_CLKTCK, sysconf(_SC_CLK_TCK));
	AUX(AT_PHDR, prog->phdr);
	AUX(AT_PHENT, prog->phent);
	AUX(AT_PHNUM, prog->phnum);
	AUX(AT_BASE, interp ? interp->bias : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, prog->entry);
	AUX(AT_UID, getuid());
	AUX(AT_EUID, geteuid());
	AUX(AT_GID, getgid());
	AUX(AT_EGID, getegid());
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random_p);
	if (kernel_aux(AT_HWCAP2, &v))
		AUX(AT_HWCAP2, v);
	if (kernel_aux(AT_HWCAP3, &v))
		AUX(AT_HWCAP3, v);
	if (kernel_aux(AT_HWCAP4, &v))
		AUX(AT_HWCAP4, v);
	AUX(AT_EXECFN, execfn_p);
	AUX(AT_PLATFORM, platform_p);
	if (kernel_aux(AT_RSEQ_FEATURE_SIZE, &v))
		AUX(AT_RSEQ_FEATURE_SIZE, v);
	if (kernel_aux(AT_RSEQ_ALIGN, &v))
		AUX(AT_RSEQ_ALIGN, v);
	AUX(AT_NULL, 0);
#undef AUX

	/* argc, argv[], NULL, envp[], NULL, auxv pairs; rsp 16-byte aligned at argc. */
	size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * (size_t)n;
	uintptr_t sp = (p - words * sizeof(uintptr_t)) & ~(uintptr_t)15;
	uintptr_t *w = (uintptr_t *)sp;
	*w++ = (uintptr_t)argc;
	for (int i = 0; i < argc; i++)
		*w++ = argp[i];
	*w++ = 0;
	for (int i = 0; i < envc; i++)
		*w++ = envp[i];
	*w++ = 0;
	for (int i = 0; i < n; i++) {
		*w++ = aux[i][0];
		*w++ = aux[i][1];
	}
	free(argp);
	free(envp);
	out->base = (uintptr_t)m;
	out->top = top;
	out->sp = sp;
}
