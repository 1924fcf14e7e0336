/* SPDX-License-Identifier: MIT */
/*
 * --follow-exec=event: following exec with no seccomp filter, so that no
 * system call of the tree pays for one.  Every tracee carries
 * PTRACE_O_TRACEEXEC; at its PTRACE_EVENT_EXEC stop the kernel has loaded
 * the new program, with the kernel's vDSO, and not one instruction of it has
 * run.  There the tracer replaces the vDSO in place:
 *
 *   1. reads the new stack (rsp points at argc: argv, envp, then auxv) and
 *      finds AT_SYSINFO_EHDR (and, for an i386 program, AT_SYSINFO);
 *   2. writes a parameter block below the stack pointer and the stub
 *      (arch_*_inject.c) over the start of the page the program would start
 *      in, keeping the bytes it covers, and points the registers at them;
 *   3. the stub maps the session's data pages (MAP_SHARED, read-only) and
 *      the image above them, both through /proc/TRACER/fd/N, and traps;
 *   4. at the trap the tracer points AT_SYSINFO_EHDR (and AT_SYSINFO, at the
 *      image's __kernel_vsyscall) at the image, puts the code bytes and the
 *      registers back as the exec left them, and continues: the program
 *      starts as the kernel started it, with our image in its auxv.
 *
 * No second exec, no loader: two ptrace stops per exec (the exec event and
 * the trap).  The kernel's own [vdso] and [vvar] stay mapped where the
 * kernel put them, unnamed by the auxv: the kernel still finds its signal
 * return trampoline there (an i386 sigaction without SA_RESTORER), and
 * nothing else looks for them.  The page the stub was written to is the
 * program's private copy from then on (one page per process).
 *
 * An exec is left as the kernel loaded it, with a --verbose note, when no
 * image fits it (another class, another machine), when it is a set-id
 * program (it runs as the kernel would, as in the seccomp mode), when the
 * stub cannot open the tracer's files (the program's credentials differ
 * from the tracer's), or when its stack holds no AT_SYSINFO_EHDR.
 * vdso-run32, which maps its i386 program itself, is left alone too.
 */
#include "inject.h"
#include "elf_lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define STUB_MAX	512
#define STACK_READ_MAX	(8u << 20)	/* argv, envp and auxv: ARG_MAX is a quarter of the stack limit */
#define PARAMS_GAP	256		/* between the parameter block and the kernel's stack pointer */

struct klass {
	bool given;
	int memfd;			/* the image, padded to map_len, sealed */
	size_t map_len;
	uintptr_t vsyscall;		/* __kernel_vsyscall's offset in the image, or 0 */
	char path[48];			/* /proc/TRACER/fd/N */
	const char *name;		/* for notes */
};

static struct {
	bool on, verbose, no_vdso;
	size_t data_len;
	char data_path[48];
	struct klass k64, k32;
	dev_t run32_dev, loader_dev;
	ino_t run32_ino, loader_ino;
	pid_t writer;
	char follow_arg[48];		/* --follow=TRACER:SESSION, for re-executions of the loader */
	char data_pages_arg[16];	/* --data-pages N, for vdso-run32's */
} ev;

struct injection {
	pid_t pid;
	int mem;
	bool is_i386;
	struct inject_saved saved;
	unsigned long ip, stub_at;
	size_t code_len;
	unsigned char code[STUB_MAX];
	unsigned long ehdr_slot, sysinfo_slot;	/* auxv value addresses; 0: none */
};

static struct injection **live;
static size_t nlive, caplive;

/* ---- the images ---- */

/* The pages an image occupies (its one PT_LOAD from offset 0, address 0), for either class. */
static size_t image_pages(const char *path, const unsigned char *b, size_t size, bool is_i386)
{
	size_t phoff, phent, phnum;
	if (is_i386) {
		const Elf32_Ehdr *h = (const Elf32_Ehdr *)b;
		if (size < sizeof *h || memcmp(h->e_ident, ELFMAG, SELFMAG) || h->e_ident[EI_CLASS] != ELFCLASS32 ||
		    h->e_machine != EM_386 || h->e_type != ET_DYN)
			die("%s: not an ELF32 i386 vDSO image (ET_DYN)", path);
		phoff = h->e_phoff, phent = h->e_phentsize, phnum = h->e_phnum;
	} else {
		const Elf64_Ehdr *h = (const Elf64_Ehdr *)b;
		if (size < sizeof *h)
			die("%s: not a vDSO image", path);
		phoff = h->e_phoff, phent = h->e_phentsize, phnum = h->e_phnum;
	}
	size_t want = is_i386 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	if (phent != want || phoff > size || phnum > (size - phoff) / want)
		die("%s: vDSO image has a bad program header table", path);
	uint64_t end = size;
	int nload = 0;
	for (size_t i = 0; i < phnum; i++) {
		uint64_t type, off, vaddr, memsz;
		if (is_i386) {
			const Elf32_Phdr *p = (const Elf32_Phdr *)(b + phoff) + i;
			type = p->p_type, off = p->p_offset, vaddr = p->p_vaddr, memsz = p->p_memsz;
		} else {
			const Elf64_Phdr *p = (const Elf64_Phdr *)(b + phoff) + i;
			type = p->p_type, off = p->p_offset, vaddr = p->p_vaddr, memsz = p->p_memsz;
		}
		if (type != PT_LOAD)
			continue;
		nload++;
		if (off != 0 || vaddr != 0 || memsz > (64u << 20))
			die("%s: vDSO image's PT_LOAD must start at offset 0, address 0, and be under 64 MiB", path);
		if (memsz > end)
			end = memsz;
	}
	if (nload != 1)
		die("%s: vDSO image has %d PT_LOAD segments, expected exactly 1", path, nload);
	return PAGE_UP(end);
}

static void image_memfd(const char *file, bool is_i386, pid_t tracer, struct klass *k)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		die("%s: %s", file, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size < 64 || st.st_size > (64 << 20))
		die("%s: not a plausible vDSO image (a regular file of 64 bytes to 64 MiB)", file);
	size_t size = (size_t)st.st_size;
	unsigned char *b = malloc(size);
	if (!b)
		die("out of memory");
	if (pread(fd, b, size, 0) != (ssize_t)size)
		die("%s: short read", file);
	close(fd);
	k->map_len = image_pages(file, b, size, is_i386);
	if (is_i386) {
		struct vdso_elf e;
		const unsigned char *sym = vdso_elf_open(&e, b, size) == 0 ?
			vdso_elf_sym(&e, "__kernel_vsyscall", "LINUX_2.5") : NULL;
		/* Offset = address in an image whose PT_LOAD starts at 0, 0 (image_pages). */
		if (sym && sym >= b && (size_t)(sym - b) < k->map_len)
			k->vsyscall = (uintptr_t)(sym - b);
	}
	k->memfd = memfd_create("vdso-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (k->memfd < 0 || write(k->memfd, b, size) != (ssize_t)size || ftruncate(k->memfd, (off_t)k->map_len) != 0)
		die("cannot copy %s into a memfd: %s", file, strerror(errno));
	fcntl(k->memfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	free(b);
	snprintf(k->path, sizeof k->path, "/proc/%d/fd/%d", (int)tracer, k->memfd);
	k->given = true;
}

void exec_event_init(const struct run_options *opt, pid_t tracer, int data_fd, pid_t writer, const char *follow_arg)
{
	snprintf(ev.follow_arg, sizeof ev.follow_arg, "%s", follow_arg);
	snprintf(ev.data_pages_arg, sizeof ev.data_pages_arg, "%u", opt->data_pages);
	ev.on = true;
	ev.verbose = opt->verbose;
	ev.no_vdso = opt->no_vdso;
	ev.writer = writer;
	ev.k64.name = "x86-64";
	ev.k32.name = "i386";
	char run32[PATH_MAX];
	struct stat st;
	loader32_path(run32, sizeof run32);
	if (stat(run32, &st) == 0) {
		ev.run32_dev = st.st_dev;
		ev.run32_ino = st.st_ino;
	}
	if (stat("/proc/self/exe", &st) == 0) {
		ev.loader_dev = st.st_dev;
		ev.loader_ino = st.st_ino;
	}
	if (opt->no_vdso)
		return;
	struct data_layout l;
	data_layout(opt, &l);
	ev.data_len = (size_t)l.total * RUN_PAGE;
	snprintf(ev.data_path, sizeof ev.data_path, "/proc/%d/fd/%d", (int)tracer, data_fd);
	if (opt->image)
		image_memfd(opt->image, false, tracer, &ev.k64);
	if (opt->image32)
		image_memfd(opt->image32, true, tracer, &ev.k32);
}

/* ---- the injections under way ---- */

static struct injection *find(pid_t pid, size_t *at)
{
	for (size_t i = 0; i < nlive; i++)
		if (live[i]->pid == pid) {
			if (at)
				*at = i;
			return live[i];
		}
	return NULL;
}

static void forget(size_t i)
{
	close(live[i]->mem);
	free(live[i]);
	live[i] = live[--nlive];
}

void exec_event_gone(pid_t pid)
{
	size_t i;
	if (find(pid, &i))
		forget(i);
}

/* What the tracee runs, for a note. */
static const char *exe_of(pid_t pid, char *buf, size_t n)
{
	char link[32];
	snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
	ssize_t l = readlink(link, buf, n - 1);
	if (l <= 0)
		return "?";
	buf[l] = 0;
	return buf;
}

static void note(pid_t pid, const char *why)
{
	char exe[PATH_MAX];
	if (ev.verbose)
		vlog("exec in pid %d: %s: %s; the kernel runs it with its own vDSO", (int)pid, exe_of(pid, exe, sizeof exe),
		     why);
}

/*
 * The auxv's AT_SYSINFO_EHDR and AT_SYSINFO value addresses (0: absent),
 * from the stack at `sp`: argc, argv[argc], NULL, envp..., NULL, auxv pairs
 * up to AT_NULL, each a word of `w` bytes.  -1 if the stack is not that.
 */
static int auxv_slots(int mem, unsigned long sp, size_t w, unsigned long *ehdr, unsigned long *sysinfo)
{
	size_t cap = 16384;
	for (;;) {
		unsigned char *b = malloc(cap);
		if (!b)
			die("out of memory");
		ssize_t got = pread(mem, b, cap, (off_t)sp);
		size_t n = got > 0 ? (size_t)got / w : 0, i = 1;
#define WORD(k) (w == 4 ? (uint64_t)((const uint32_t *)b)[k] : ((const uint64_t *)b)[k])
		int r = -1;
		if (n >= 1 && WORD(0) < n) {
			i = 1 + WORD(0);	/* argv's NULL */
			if (i < n && WORD(i) == 0) {
				for (i++; i < n && WORD(i) != 0; i++)
					;	/* envp */
				*ehdr = *sysinfo = 0;
				for (i++; i + 1 < n; i += 2) {
					if (WORD(i) == AT_NULL) {
						r = 0;
						break;
					}
					if (WORD(i) == AT_SYSINFO_EHDR)
						*ehdr = sp + (i + 1) * w;
					else if (WORD(i) == AT_SYSINFO)
						*sysinfo = sp + (i + 1) * w;
				}
			}
		}
#undef WORD
		free(b);
		if (r == 0)
			return 0;
		/* Not all of it in what we read: read more, if there was more to read. */
		if (got < (ssize_t)cap || cap >= STACK_READ_MAX)
			return -1;
		cap *= 2;
	}
}

static bool mem_put(int mem, unsigned long at, uint64_t v, size_t w)
{
	uint32_t v32 = (uint32_t)v;
	return pwrite(mem, w == 4 ? (const void *)&v32 : (const void *)&v, w, (off_t)at) == (ssize_t)w;
}

/* --no-vdso: the auxv's vDSO entries become AT_IGNORE; the kernel's stays mapped, unnamed. */
static void hide_vdso(int mem, size_t w, unsigned long ehdr, unsigned long sysinfo)
{
	if (ehdr)
		mem_put(mem, ehdr - w, AT_IGNORE, w);
	if (sysinfo)
		mem_put(mem, sysinfo - w, AT_IGNORE, w);
}

/* Is the file the tracee runs one to leave alone?  Its note, or NULL. */
static const char *leave_alone(const struct stat *stp, bool is_i386, bool *quiet)
{
	const struct stat st = *stp;
	*quiet = false;
	if (is_i386 && st.st_dev == ev.run32_dev && st.st_ino == ev.run32_ino) {
		*quiet = true;	/* vdso-run32 maps its program and the image itself */
		return "vdso-run32";
	}
	if ((st.st_mode & S_ISUID) || (st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return "a set-id program";
	if (!ev.no_vdso && !(is_i386 ? ev.k32.given : ev.k64.given))
		return is_i386 ? "an ELF32 i386 program, for which no i386 image was given" :
				 "an ELF64 x86-64 program, for which no x86-64 image was given";
	return NULL;
}

/*
 * A program the loader started (the top one: its /proc/self/exe names the
 * loader, vdso-run or vdso-run32) re-executed itself through /proc/self/exe:
 * the kernel loaded the loader, with the program's argv.  Before it runs,
 * its stack gets the loader's command line in front of that argv, built
 * below the kernel's: "--follow=T:K EXE" for vdso-run (the seccomp mode's
 * followed exec), vdso-run32's own options for it; the loader maps EXE with
 * our image.  Any other exec of the loader (`vdsogen run` inside the tree)
 * runs as is.
 */
static void reexec_program(pid_t pid, struct injection *j, unsigned long sp, const char *exe, const char **pre,
			   size_t npre)
{
	size_t w = j->is_i386 ? 4 : 8, cap = 65536;
	unsigned char *b = malloc(cap);
	if (!b)
		die("out of memory");
	ssize_t got = pread(j->mem, b, cap, (off_t)sp);
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
	if (pread(j->mem, fn, sizeof fn - 1, (off_t)execfn) <= 0)
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
	bool ok = k == 2 + npre && pwrite(j->mem, nb, len, (off_t)new_sp) == (ssize_t)len &&
		  arch_inject_enter(pid, &j->saved, j->ip, new_sp) == 0;
	free(nb);
	if (ok && ev.verbose)
		vlog("exec in pid %d: %s names the loader: it runs %s again", (int)pid, fn, exe);
out:
	free(b);
}

/* The loader's command line in front of the program's argv, for reexec_program. */
static void reexec_loader(pid_t pid, struct injection *j, unsigned long sp, const char *exe)
{
	if (!j->is_i386) {
		const char *pre[] = { ev.follow_arg, exe };
		reexec_program(pid, j, sp, exe, pre, 2);
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
	reexec_program(pid, j, sp, exe, pre, n);
}

void exec_event_stop(pid_t pid)
{
	struct injection *j = calloc(1, sizeof *j);
	if (!j)
		die("out of memory");
	j->pid = pid;
	j->mem = -1;
	unsigned long ip, sp;
	bool quiet;
	const char *why = NULL;
	if (arch_inject_save(pid, &j->saved, &j->is_i386, &ip, &sp) != 0)
		goto out;	/* gone (SIGKILL) */
	j->ip = ip;
	size_t w = j->is_i386 ? 4 : 8;
	char path[32];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	if (stat(path, &st) != 0) {
		note(pid, "its program cannot be looked at");
		goto out;
	}
	const char *was = tracee_exe(pid);
	bool loader = j->is_i386 ? st.st_dev == ev.run32_dev && st.st_ino == ev.run32_ino :
				   st.st_dev == ev.loader_dev && st.st_ino == ev.loader_ino;
	if (loader && was && *was) {
		snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
		if ((j->mem = open(path, O_RDWR | O_CLOEXEC)) >= 0)
			reexec_loader(pid, j, sp, was);
		goto out;
	}
	/* Its /proc/self/exe names its program again: nothing to substitute at its next exec. */
	tracee_set_exe(pid, "");
	if ((why = leave_alone(&st, j->is_i386, &quiet)) != NULL) {
		if (!quiet)
			note(pid, why);
		goto out;
	}
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	if ((j->mem = open(path, O_RDWR | O_CLOEXEC)) < 0 || auxv_slots(j->mem, sp, w, &j->ehdr_slot, &j->sysinfo_slot) != 0) {
		note(pid, "its stack cannot be read as argc, argv, envp, auxv");
		goto out;
	}
	if (ev.no_vdso) {
		hide_vdso(j->mem, w, j->ehdr_slot, j->sysinfo_slot);
		goto out;
	}
	if (!j->ehdr_slot) {
		note(pid, "its auxv has no AT_SYSINFO_EHDR to point at the image");
		goto out;
	}
	const struct klass *k = j->is_i386 ? &ev.k32 : &ev.k64;
	unsigned char params[256];
	size_t plen = arch_inject_params(j->is_i386, params, sizeof params, ev.data_len + k->map_len, ev.data_len,
					 k->map_len, ev.data_path, k->path);
	const unsigned char *code;
	arch_inject_stub(j->is_i386, &code, &j->code_len);
	unsigned long params_at = (sp - PARAMS_GAP - plen) & ~15UL;
	j->stub_at = PAGE_DOWN(ip);
	if (!plen || j->code_len > sizeof j->code || sp < PARAMS_GAP + plen + 16 ||
	    pwrite(j->mem, params, plen, (off_t)params_at) != (ssize_t)plen ||
	    pread(j->mem, j->code, j->code_len, (off_t)j->stub_at) != (ssize_t)j->code_len) {
		note(pid, "no room for the stub that maps the image");
		goto out;
	}
	if (pwrite(j->mem, code, j->code_len, (off_t)j->stub_at) != (ssize_t)j->code_len ||
	    arch_inject_enter(pid, &j->saved, j->stub_at, params_at) != 0) {
		/* Back as it was, if it is still there. */
		pwrite(j->mem, j->code, j->code_len, (off_t)j->stub_at);
		arch_inject_leave(pid, &j->saved);
		note(pid, "the stub that maps the image cannot be written");
		goto out;
	}
	if (nlive == caplive) {
		caplive = caplive ? caplive * 2 : 16;
		live = realloc(live, caplive * sizeof *live);
		if (!live)
			die("out of memory");
	}
	live[nlive++] = j;
	return;
out:
	if (j->mem >= 0)
		close(j->mem);
	free(j);
}

static const char *const steps[] = { "", "reserving its address range", "opening the data pages",
				     "mapping the data pages", "opening the image", "mapping the image" };

bool exec_event_trap(pid_t pid)
{
	size_t i;
	struct injection *j = find(pid, &i);
	if (!j)
		return false;
	long base;
	int step;
	int r = arch_inject_result(pid, j->is_i386, j->stub_at, &base, &step);
	if (r == 0)
		return false;	/* a SIGTRAP of its own: delivered */
	size_t w = j->is_i386 ? 4 : 8;
	const struct klass *k = j->is_i386 ? &ev.k32 : &ev.k64;
	bool put = pwrite(j->mem, j->code, j->code_len, (off_t)j->stub_at) == (ssize_t)j->code_len;
	if (r < 0 || !put) {
		forget(i);
		return true;	/* gone, or its code cannot be restored: nothing to save */
	}
	char why[160];
	uintptr_t image = (uintptr_t)base + ev.data_len;
	if (step != 0) {
		snprintf(why, sizeof why, "the stub failed %s (%s)", step > 0 && step <= 5 ? steps[step] : "",
			 strerror((int)-base));
		note(pid, why);
	} else if (!mem_put(j->mem, j->ehdr_slot, image, w) ||
		   (j->is_i386 && k->vsyscall && j->sysinfo_slot && !mem_put(j->mem, j->sysinfo_slot, image + k->vsyscall, w))) {
		note(pid, "its auxv cannot be written");
	} else if (ev.verbose) {
		char exe[PATH_MAX];
		vlog("exec in pid %d: %s: image 0x%lx-0x%lx r-x (AT_SYSINFO_EHDR%s), data pages 0x%lx r--; writer pid %d",
		     (int)pid, exe_of(pid, exe, sizeof exe), (unsigned long)image, (unsigned long)(image + k->map_len),
		     j->is_i386 && k->vsyscall && j->sysinfo_slot ? ", AT_SYSINFO" : "", (unsigned long)base,
		     (int)ev.writer);
	}
	arch_inject_leave(pid, &j->saved);
	forget(i);
	return true;
}
