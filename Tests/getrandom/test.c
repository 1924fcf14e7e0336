// SPDX-License-Identifier: MIT
/*
 * Test of the vDSO getrandom (kernel-vdso/lib/getrandom.c) inside a built
 * x86-64 or arm64 image (arm64: cross-built, run under qemu-aarch64): maps the image like a kernel (the time page one page below
 * it, the getrandom page two below, both read-only; the image R+X), fills
 * the getrandom page with the host side (kernel-vdso/host/rng.c), resolves
 * __vdso_getrandom@LINUX_2.6 (arm64: __kernel_getrandom@LINUX_2.6.39) by name
 * and version through the image's own tables, and
 * checks
 *   - the parameter query, as Linux answers it;
 *   - ChaCha20 against RFC 8439 (2.3.2 block function, 2.4.2 encryption)
 *     through the image's own block function (hidden; its offset is in the
 *     emitted header), and the test's reference implementation too;
 *   - the generator, byte for byte, against a model of fast key erasure
 *     (batch first, whole blocks into the buffer, then batch + next key),
 *     including what the state holds afterwards: the used key gone, served
 *     batch bytes zeroed;
 *   - a generation bump re-keys; a fork wipes the state (MAP_DROPPABLE) and
 *     parent and child differ; threads with their own states never share
 *     output; a signal handler reusing the interrupted state gets other bytes;
 *   - every fallback (NULL state, wrong opaque_len, flags, page not ready,
 *     in_use) returns what the system call returns and leaves the state alone.
 *
 *   test                 the checks above (built by run.sh with the emitted header)
 *   test --auxv          under `vdsogen run`: the vDSO the loader mapped
 *                        (AT_SYSINFO_EHDR) serves getrandom from its rng page
 *
 * Output: "ok N - ...", "not ok N - ...: detail", "# ..." notes, and a last
 * line "N passed, M failed"; exit status 0 iff nothing failed.
 */
#define _GNU_SOURCE
#include "vdso-image.h"
#include "elf_lookup.h"
#include "rng.h"
#include "vdso/getrandom.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../common/tap.h"
#include "vdso/datapage.h"
#include "../common/map_image.h"
#include "chacha.h"

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif

/*
 * The name and version node each architecture exports getrandom under, as
 * Linux does: x86-64 __vdso_getrandom@LINUX_2.6 with the alias getrandom,
 * arm64 __kernel_getrandom@LINUX_2.6.39 and no alias.
 */
#if defined(VDSO_SYM___kernel_getrandom)
#define GETRANDOM_VERSION	"LINUX_2.6.39"
static const char *const getrandom_names[] = { "__kernel_getrandom" };
static const long getrandom_offsets[] = { VDSO_SYM___kernel_getrandom };
#else
#define GETRANDOM_VERSION	"LINUX_2.6"
static const char *const getrandom_names[] = { "__vdso_getrandom", "getrandom" };
static const long getrandom_offsets[] = { VDSO_SYM___vdso_getrandom, VDSO_SYM_getrandom };
#endif
#define GETRANDOM_NAMES		(int)(sizeof getrandom_names / sizeof getrandom_names[0])

typedef struct vdso_getrandom_state state_t;
typedef long (*vgetrandom_fn)(void *, size_t, unsigned, void *, size_t);

static vgetrandom_fn vgr;
static unsigned char *base;
static struct vdso_rng_data *wrng;		/* writable view of the rng page */
static struct vdso_getrandom_params params;


static int skipped;	/* checks this kernel cannot run (MAP_DROPPABLE refused) */

static int finish(void)
{
	if (skipped)
		printf("# %d checks skipped: MAP_DROPPABLE is refused here\n", skipped);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

/* The system call: result or -errno, as the vDSO returns it. */
static long sys_getrandom(void *buf, size_t len, unsigned flags)
{
	long r = syscall(SYS_getrandom, buf, len, flags);
	return r == -1 ? -errno : r;
}

/*
 * Whether this kernel maps MAP_DROPPABLE memory (Linux 6.11+; qemu-user 7.2,
 * which runs the arm64 test, refuses the flag with EINVAL).  Without it states
 * are plain private anonymous memory, and the checks that depend on the kernel
 * wiping a child's copy are skipped with a note.
 */
static int droppable = 1;

static void skip(const char *desc)
{
	printf("# skipped: %s\n", desc);
	skipped++;
}

static void probe_droppable(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		munmap(p, 4096);
		return;
	}
	if (errno != EINVAL)
		return;		/* not "unknown flag": let the checks fail and say why */
	droppable = 0;
	printf("# MAP_DROPPABLE is refused here (%s: Linux before 6.11, or qemu-user): states are "
	       "MAP_PRIVATE; the checks that need the kernel to wipe them are skipped\n", strerror(errno));
}

static state_t *alloc_states(size_t n)
{
	size_t len = (n * sizeof(state_t) + 4095) & ~4095UL;
	int type = droppable ? MAP_DROPPABLE : MAP_PRIVATE;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, type | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		/* Every check below needs a state: stop rather than dereference nothing. */
		report(0, "allocate a state", "%s", strerror(errno));
		exit(finish());
	}
	return p;
}

/* ---- a model of the generator (reference ChaCha20: chacha.h) ---- */

/* What the vDSO must do to `st` (already keyed, same generation) for a len-byte request. */
static void model(state_t *st, uint8_t *out, size_t len)
{
	uint64_t ctr = 0;
	for (;;) {
		size_t n = sizeof st->batch - st->pos;
		if (n > len)
			n = len;
		memcpy(out, st->batch + st->pos, n);
		memset(st->batch + st->pos, 0, n);
		st->pos += n, out += n, len -= n;
		if (!len)
			return;
		n = len / 64;
		if (n) {
			ref_blocks(out, st->key, &ctr, n);
			out += 64 * n, len -= 64 * n;
		}
		uint8_t bk[128];
		ref_blocks(bk, st->key, &ctr, 2);
		memcpy(st->batch_key, bk, 128);
		st->pos = 0;
	}
}

/* ---- mapping ---- */

static void map_image(void)
{
	struct vdso_time_data *tp;
	int ok = map_vdso_image(&base, &tp);	/* [rng page][time page] (R), the image (R+X) */
	report(ok, "map the data area [rng page][time page] (R) and the image (R+X) above it", "%s", strerror(errno));
	if (!ok)
		exit(finish());
	report(VDSO_DATA_AREA_OFFSET == VDSO_SYM_vdso_rng_data && VDSO_DATA_AREA_SIZE == 2 * VDSO_PAGE_SIZE,
	       "header: the data area starts at the rng page and spans both pages", "%ld %ld",
	       (long)VDSO_DATA_AREA_OFFSET, (long)VDSO_DATA_AREA_SIZE);
	wrng = (struct vdso_rng_data *)((unsigned char *)tp + (VDSO_SYM_vdso_rng_data - VDSO_DATA_OFFSET));
	report(VDSO_SYM_vdso_rng_data == -2 * VDSO_PAGE_SIZE && VDSO_DATA_OFFSET == -VDSO_PAGE_SIZE,
	       "header: vdso_rng_data at image - 2 pages, vdso_time_data at image - 1 page", "%ld %ld",
	       (long)VDSO_SYM_vdso_rng_data, (long)VDSO_DATA_OFFSET);
	int rc = vdso_rng_init(wrng);
	report(rc == 0 && wrng->is_ready == 1 && wrng->generation == 1,
	       "host side: vdso_rng_init makes the page ready, generation 1", "rc %d ready %u gen %llu", rc,
	       wrng->is_ready, (unsigned long long)wrng->generation);
}

static void resolve(void)
{
	struct vdso_elf e;
	int ok = vdso_elf_open(&e, base, VDSO_IMAGE_FILE_SIZE) == 0;
	for (int i = 0; i < GETRANDOM_NAMES; i++) {
		const char *name = getrandom_names[i];
		const unsigned char *h = ok ? vdso_elf_sym_hash(&e, name, GETRANDOM_VERSION) : NULL;
		const unsigned char *g = ok ? vdso_elf_sym_gnu_hash(&e, name, GETRANDOM_VERSION) : NULL;
		char d[128];
		snprintf(d, sizeof d, "%s@%s via DT_HASH and DT_GNU_HASH == header offset", name, GETRANDOM_VERSION);
		report(h && h == g && h - base == getrandom_offsets[i], d, "hash %p gnu %p", (void *)h, (void *)g);
		if (i == 0 && h)
			vgr = (vgetrandom_fn)(void *)h;
	}
	vblocks = (blocks_fn)(void *)(base + VDSO_SYM_vdso_chacha20_blocks);
	if (!vgr)
		exit(finish());
}

/* ---- checks ---- */

static void check_params(void)
{
	struct vdso_getrandom_params p;
	memset(&p, 0xff, sizeof p);
	long r = vgr(NULL, 0, 0, &p, ~0UL);
	int zero = 1;
	for (int i = 0; i < 13; i++)
		zero &= p.reserved[i] == 0;
	report(r == 0 && p.size_of_opaque_state == sizeof(state_t) && p.mmap_prot == (PROT_READ | PROT_WRITE) &&
		       p.mmap_flags == (MAP_DROPPABLE | MAP_ANONYMOUS) && zero,
	       "parameter query (NULL, 0, 0, &params, ~0UL): 0, state size, PROT_READ|PROT_WRITE, "
	       "MAP_DROPPABLE|MAP_ANONYMOUS, reserved zeroed",
	       "r %ld size %u prot %#x flags %#x", r, p.size_of_opaque_state, p.mmap_prot, p.mmap_flags);
	params = p;
	if (droppable) {
		void *m = mmap(NULL, 4096, p.mmap_prot, p.mmap_flags, -1, 0);
		report(m != MAP_FAILED, "the kernel maps a state page with the queried prot and flags", "%s",
		       strerror(errno));
		if (m != MAP_FAILED)
			munmap(m, 4096);
	} else {
		skip("the kernel maps a state page with the queried prot and flags");
	}
	/*
	 * With flags set it is not a query: the system call with the same
	 * arguments.  (The area must not straddle a page: that is -EFAULT first.)
	 */
	void *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long a = vgr(NULL, 0, 1, q, ~0UL), b = sys_getrandom(NULL, 0, 1);
	long c = vgr(NULL, 0, ~0u, q, ~0UL), d = sys_getrandom(NULL, 0, ~0u);
	munmap(q, 4096);
	report(a == b && c == d, "(NULL, 0, flags != 0, &p, ~0UL) is no query: the system call's result",
	       "%ld/%ld %ld/%ld", a, b, c, d);
	report(vgr(NULL, 0, 0, NULL, ~0UL) == -EFAULT, "parameter query into NULL: -EFAULT", "no");
}

/*
 * The ChaCha20 checks (chacha.h) on every path the rng page's cpu_features
 * can select: the baseline (x86-64 SSE2, arm64 NEON, or the portable C), and
 * on x86-64 AVX2 where this CPU has it; the generator checks that follow run
 * with what the host side found.
 */
static void check_chacha_paths(void)
{
	uint8_t host = wrng->cpu_features;
	static const struct { uint8_t features; const char *name; } paths[] = {
		{ 0, "cpu_features 0" },
		{ VDSO_RNG_CPU_AVX2, "cpu_features AVX2" },
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		if (paths[i].features & ~host) {
			printf("# %s: not checked, this CPU (or its kernel) does not support it\n", paths[i].name);
			continue;
		}
		wrng->cpu_features = paths[i].features;
		chacha_path = paths[i].name;
		check_chacha();
		check_vregs_getrandom(vgr, alloc_states(1), sizeof(state_t));
	}
	wrng->cpu_features = host;
	chacha_path = "the host's cpu_features";
}

static int contains(const void *hay, size_t n, const void *needle, size_t m) { return memmem(hay, n, needle, m) != NULL; }

static void check_generator(void)
{
	state_t *st = alloc_states(1);
	/* First call on a zeroed state: generation 0 != 1, so it is keyed from the system call. */
	uint8_t a[32], b[32];
	long r = vgr(a, sizeof a, 0, st, sizeof *st);
	report(r == 32 && st->generation == wrng->generation && !st->in_use && st->pos == 32,
	       "first call on a fresh state: 32 bytes, keyed at the page's generation, 32 batch bytes used",
	       "r %ld gen %llu pos %u in_use %u", r, (unsigned long long)st->generation, st->pos, st->in_use);
	r = vgr(b, sizeof b, 0, st, sizeof *st);
	report(r == 32 && memcmp(a, b, 32) != 0, "two calls give different bytes", "r %ld", r);

	/* Byte for byte against the model, from a known key. */
	static const size_t sizes[] = { 1, 15, 16, 63, 64, 65, 95, 96, 97, 127, 128, 200, 256, 1000, 4096, 10007, 65536 };
	uint8_t *got = malloc(65536 + 64), *want = malloc(65536);
	int bad = 0;
	char why[160] = "";
	state_t m;
	for (int i = 0; i < 32; i++)
		((uint8_t *)st->key)[i] = (uint8_t)(0xa0 + i);
	st->pos = sizeof st->batch;
	memset(st->batch, 0, sizeof st->batch);
	m = *st;
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];
		memset(got + n, 0x5a, 64);
		r = vgr(got, n, 0, st, sizeof *st);
		model(&m, want, n);
		int over = 0;
		for (int j = 0; j < 64; j++)
			over |= got[n + j] != 0x5a;
		if (!bad && (r != (long)n || memcmp(got, want, n) || memcmp(st, &m, offsetof(state_t, generation)) ||
			     st->pos != m.pos || over)) {
			bad = 1;
			snprintf(why, sizeof why, "request of %zu bytes: r %ld, output %s, state %s, overrun %d", n, r,
				 memcmp(got, want, n) ? "differs" : "ok",
				 memcmp(st, &m, offsetof(state_t, generation)) ? "differs" : "ok", over);
		}
	}
	report(!bad, "output and state after requests of 1..65536 bytes equal the fast-key-erasure model", "%s", why);

	/* Forward secrecy, one call: the key used is overwritten, served bytes are zeroed. */
	uint8_t oldkey[32], out[16];
	st->pos = sizeof st->batch;
	memcpy(oldkey, st->key, 32);
	r = vgr(out, 16, 0, st, sizeof *st);
	uint8_t ks[128];
	uint64_t ctr = 0;
	ref_blocks(ks, (const uint32_t *)oldkey, &ctr, 2);
	int zero = 1;
	for (int i = 0; i < 16; i++)
		zero &= st->batch[i] == 0;
	report(r == 16 && !contains(st, sizeof *st, oldkey, 32) && memcmp(st->key, ks + 96, 32) == 0,
	       "the key a call used is gone from the state, replaced by keystream bytes 96..127", "r %ld", r);
	report(zero && memcmp(out, ks, 16) == 0 && memcmp(st->batch + 16, ks + 16, 80) == 0 && st->pos == 16,
	       "served batch bytes are zeroed in the state; the rest stay for the next call", "pos %u", st->pos);
	report(!contains(st, sizeof *st, out, 16), "the state holds none of the bytes it returned", "found");

	/* A generation bump re-keys: the output is not what the old key gives. */
	uint64_t g0 = wrng->generation;
	memset(st->batch, 0, sizeof st->batch);
	st->pos = sizeof st->batch;
	m = *st;
	model(&m, want, 64);
	uint64_t g1 = vdso_rng_bump(wrng);
	r = vgr(got, 64, 0, st, sizeof *st);
	report(r == 64 && g1 == g0 + 1 && st->generation == g1 && memcmp(got, want, 64) != 0 &&
		       memcmp(st->key, m.key, 32) != 0,
	       "after vdso_rng_bump the next call re-keys: state generation updated, output not the old key's",
	       "r %ld gen %llu -> %llu, state %llu", r, (unsigned long long)g0, (unsigned long long)g1,
	       (unsigned long long)st->generation);
	/* A re-key discards the old batch too. */
	st->pos = 0;
	memset(st->batch, 0x77, sizeof st->batch);
	vdso_rng_bump(wrng);
	r = vgr(got, 8, 0, st, sizeof *st);
	static const uint8_t run77[8] = { 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77 };
	report(r == 8 && !contains(st->batch, sizeof st->batch, run77, 8) && memcmp(got, run77, 8) != 0,
	       "a re-key throws the old batch away (none of it served, none left)", "r %ld", r);

	/* Flags the vDSO serves. */
	long r1 = vgr(got, 32, GRND_NONBLOCK, st, sizeof *st), r2 = vgr(got, 32, GRND_INSECURE, st, sizeof *st);
	long r3 = vgr(got, 32, GRND_RANDOM, st, sizeof *st), r4 = vgr(NULL, 0, 0, st, sizeof *st);
	report(r1 == 32 && r2 == 32 && r3 == 32 && r4 == 0, "GRND_NONBLOCK, GRND_INSECURE, GRND_RANDOM: served; len 0: 0",
	       "%ld %ld %ld %ld", r1, r2, r3, r4);

	/* A state across a page boundary: -EFAULT, as Linux. */
	unsigned char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r = vgr(got, 16, 0, two + 4096 - 64, sizeof *st);
	report(r == -EFAULT, "a state straddling a page boundary: -EFAULT", "%ld", r);
	munmap(two, 8192);
	free(got), free(want);
	munmap(st, 4096);
}

/* Each fallback: same result as the system call, state untouched. */
static void check_fallbacks(void)
{
	state_t *st = alloc_states(1);
	uint8_t buf[64];
	vgr(buf, 16, 0, st, sizeof *st);	/* keyed, with a batch */
	state_t before = *st;
	struct {
		const char *what;
		unsigned flags;
		size_t olen;
		int null_state;
	} cases[] = {
		{ "NULL state", 0, sizeof(state_t), 1 },
		{ "NULL state, GRND_NONBLOCK", GRND_NONBLOCK, sizeof(state_t), 1 },
		{ "NULL state, flags ~0", ~0u, sizeof(state_t), 1 },
		{ "opaque_len one short", 0, sizeof(state_t) - 1, 0 },
		{ "opaque_len 0", GRND_NONBLOCK, 0, 0 },
		{ "opaque_len one long", 0, sizeof(state_t) + 1, 0 },
		{ "flags ~0", ~0u, sizeof(state_t), 0 },
		{ "unknown flag 0x8", 8, sizeof(state_t), 0 },
		{ "GRND_RANDOM|GRND_INSECURE (the kernel says EINVAL)", GRND_RANDOM | GRND_INSECURE, sizeof(state_t), 0 },
		{ "GRND_NONBLOCK|0x100", GRND_NONBLOCK | 0x100, sizeof(state_t), 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (size_t len = 0; len <= 32; len += 32) {
			long s = sys_getrandom(buf, len, cases[i].flags);
			long v = vgr(buf, len, cases[i].flags, cases[i].null_state ? NULL : st, cases[i].olen);
			char d[160];
			snprintf(d, sizeof d, "fallback, %s, len %zu: the system call's result (%ld), state untouched",
				 cases[i].what, len, s);
			report(s == v && memcmp(st, &before, sizeof before) == 0, d, "vdso %ld", v);
		}
	}
	/* in_use: a call interrupted by a signal handler using the same state. */
	st->in_use = 1;
	before = *st;
	long s = sys_getrandom(buf, 48, 0), v = vgr(buf, 48, 0, st, sizeof *st);
	long s2 = sys_getrandom(buf, 8, ~0u), v2 = vgr(buf, 8, ~0u, st, sizeof *st);
	report(s == v && s2 == v2 && memcmp(st, &before, sizeof before) == 0,
	       "fallback, state in_use: the system call's results (48, -EINVAL), state untouched", "%ld/%ld %ld/%ld",
	       s, v, s2, v2);
	st->in_use = 0;
	/* The page says not ready: everything goes to the kernel, len 0 included. */
	vdso_rng_set_ready(wrng, 0);
	before = *st;
	long a = sys_getrandom(buf, 40, GRND_NONBLOCK), b = vgr(buf, 40, GRND_NONBLOCK, st, sizeof *st);
	long c = sys_getrandom(buf, 0, 0), d = vgr(buf, 0, 0, st, sizeof *st);
	long e = sys_getrandom(buf, 8, ~0u), f = vgr(buf, 8, ~0u, st, sizeof *st);
	vdso_rng_bump(wrng);
	long g = sys_getrandom(buf, 16, 0), h = vgr(buf, 16, 0, st, sizeof *st);
	report(a == b && c == d && e == f && g == h && memcmp(st, &before, sizeof before) == 0,
	       "fallback, rng page not ready: the system call's results, state untouched even across a bump",
	       "%ld/%ld %ld/%ld %ld/%ld %ld/%ld", a, b, c, d, e, f, g, h);
	vdso_rng_set_ready(wrng, 1);
	v = vgr(buf, 16, 0, st, sizeof *st);
	report(v == 16 && st->generation == wrng->generation, "ready again: served and re-keyed to the new generation",
	       "%ld", v);
	munmap(st, 4096);
}

/* ---- threads, fork, signals ---- */

#define NTHREADS	4
#define PER_THREAD	4096	/* 16-byte outputs per thread */
static uint8_t (*tout)[16];
static state_t *tstates;

static void *thread_main(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < PER_THREAD; i++)
		if (vgr(tout[t * PER_THREAD + i], 16, 0, &tstates[t], sizeof(state_t)) != 16)
			memset(tout[t * PER_THREAD + i], 0, 16);
	return NULL;
}

static int cmp16(const void *a, const void *b) { return memcmp(a, b, 16); }

static void check_threads(void)
{
	tstates = alloc_states(NTHREADS);
	tout = calloc(NTHREADS * PER_THREAD, 16);
	pthread_t th[NTHREADS];
	for (long t = 0; t < NTHREADS; t++)
		pthread_create(&th[t], NULL, thread_main, (void *)t);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	qsort(tout, NTHREADS * PER_THREAD, 16, cmp16);
	int dup = 0;
	static const uint8_t zero[16];
	for (int i = 0; i < NTHREADS * PER_THREAD; i++)
		dup += !memcmp(tout[i], zero, 16) || (i && !memcmp(tout[i], tout[i - 1], 16));
	report(!dup, "4 threads, own states, 4096 x 16 bytes each: no 16-byte output twice, none failed", "%d", dup);
	/* Bit balance over the 256 KiB: a gross generator bug shows here. */
	uint64_t ones = 0;
	for (int i = 0; i < NTHREADS * PER_THREAD; i++)
		for (int j = 0; j < 16; j++)
			ones += __builtin_popcount(tout[i][j]);
	double frac = (double)ones / (NTHREADS * PER_THREAD * 128.0);
	report(frac > 0.497 && frac < 0.503, "bit balance of that output within 0.3% of one half (8 sigma)", "%.5f", frac);
	free(tout);
	munmap(tstates, 4096);
}

static void check_fork(void)
{
	if (!droppable) {
		/* A private copy keeps the parent's key: parent and child would repeat each other. */
		skip("fork: the child's MAP_DROPPABLE state is wiped (generation 0)");
		skip("fork: parent and child get different bytes from the same state");
		return;
	}
	state_t *st = alloc_states(1);
	uint8_t p[32], c[32];
	vgr(p, 16, 0, st, sizeof *st);		/* keyed, batch partly used */
	int fd[2];
	if (pipe(fd) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		uint8_t wiped = st->generation == 0 && st->pos == 0;
		vgr(c, 32, 0, st, sizeof *st);
		(void)!write(fd[1], &wiped, 1);
		(void)!write(fd[1], c, 32);
		_exit(0);
	}
	vgr(p, 32, 0, st, sizeof *st);
	uint8_t wiped = 0;
	int ok = read(fd[0], &wiped, 1) == 1 && read(fd[0], c, 32) == 32;
	waitpid(pid, NULL, 0);
	close(fd[0]), close(fd[1]);
	report(ok && wiped, "fork: the child's MAP_DROPPABLE state is wiped (generation 0)", "wiped %u", wiped);
	report(ok && memcmp(p, c, 32) != 0, "fork: parent and child get different bytes from the same state", "same");
	munmap(st, 4096);
}

/* A signal handler that uses the state the interrupted code is using. */
static state_t *sig_state;
static uint8_t sig_out[4096][16];
static volatile int sig_n, sig_fallbacks, sig_bad;
static void on_alarm(int s)
{
	(void)s;
	if (sig_n < 4096) {
		int inuse = sig_state->in_use;
		uint8_t before[sizeof(state_t)];
		memcpy(before, sig_state, sizeof before);
		vgr(sig_out[sig_n], 16, 0, sig_state, sizeof(state_t));
		/* Interrupted mid-call: the handler must have left the state alone. */
		if (inuse && memcmp(before, sig_state, sizeof before) == 0)
			sig_fallbacks++;
		else if (inuse)
			sig_bad++;
		sig_n++;
	}
}

static void check_signals(void)
{
	sig_state = alloc_states(1);
	static uint8_t main_out[200000][16];
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	setitimer(ITIMER_REAL, &it, NULL);
	int n = 0;
	for (; n < 200000 && sig_n < 4096; n++)
		vgr(main_out[n], 16, 0, sig_state, sizeof(state_t));
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	int got = sig_n;
	uint8_t (*all)[16] = malloc((size_t)(n + got) * 16);
	memcpy(all, main_out, (size_t)n * 16);
	memcpy(all + n, sig_out, (size_t)got * 16);
	qsort(all, n + got, 16, cmp16);
	int dup = 0;
	for (int i = 1; i < n + got; i++)
		dup += !memcmp(all[i], all[i - 1], 16);
	printf("# signals: %d handler calls during %d main calls, %d of them interrupted a call (system call)\n", got,
	       n, sig_fallbacks);
	report(got > 0 && !dup, "a signal handler sharing the interrupted state never repeats the main code's bytes",
	       "%d handler calls, %d duplicates", got, dup);
	report(!sig_bad, "a handler that interrupted a call (in_use) left the state alone", "%d changed it", sig_bad);
	free(all);
	munmap(sig_state, 4096);
}

/* ---- under vdsogen run ---- */

static int auxv_mode(void)
{
	unsigned char *img = (unsigned char *)getauxval(AT_SYSINFO_EHDR);
	report(img != NULL, "AT_SYSINFO_EHDR is set", "no vDSO");
	if (!img)
		return finish();
	struct vdso_elf e;
	report(vdso_elf_open(&e, img, VDSO_IMAGE_FILE_SIZE) == 0 && memcmp(img, vdso_image, VDSO_IMAGE_FILE_SIZE) == 0,
	       "the mapped vDSO is this image", "differs");
	vgr = (vgetrandom_fn)(void *)vdso_elf_sym(&e, getrandom_names[0], GETRANDOM_VERSION);
	report(vgr != NULL, "getrandom found by name and version through the auxv image", "missing");
	if (!vgr)
		return finish();
	const struct vdso_rng_data *rng = (const void *)(img + VDSO_SYM_vdso_rng_data);
	report(rng->is_ready == 1 && rng->generation != 0, "the loader filled the rng page: ready, generation != 0",
	       "ready %u gen %llu", rng->is_ready, (unsigned long long)rng->generation);
	struct vdso_getrandom_params p;
	long r = vgr(NULL, 0, 0, &p, ~0UL);
	state_t *st = mmap(NULL, 4096, p.mmap_prot, p.mmap_flags, -1, 0);
	uint8_t a[100], b[100];
	long x = st != MAP_FAILED ? vgr(a, sizeof a, 0, st, p.size_of_opaque_state) : -1;
	long y = st != MAP_FAILED ? vgr(b, sizeof b, 0, st, p.size_of_opaque_state) : -1;
	report(r == 0 && x == 100 && y == 100 && memcmp(a, b, 100) != 0 && st->generation == rng->generation,
	       "params, state, two calls of 100 bytes: served from the vDSO, keyed at the page's generation",
	       "r %ld x %ld y %ld", r, x, y);
	return finish();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "--auxv") == 0)
		return auxv_mode();
	probe_droppable();
	map_image();
	resolve();
	check_params();
	check_chacha_paths();
	check_generator();
	check_fallbacks();
	check_threads();
	check_fork();
	check_signals();
	return finish();
}
