// SPDX-License-Identifier: MIT
/*
 * End-to-end test of a vDSO image: maps it like a kernel would (data page
 * below the image, image R+X, data R), keeps the data page current with the
 * host timekeeper, resolves every export through the image's own hash and
 * version tables, and compares each call with the raw system call (never
 * libc's wrappers, which use the kernel's own vDSO).
 *
 * Built by Tests/e2e/run.sh with the emitted vdso-image.c/.h.
 * Usage: e2e-harness [COUNT]  (calls per monotonicity check, default 1000000)
 * Output: TAP-like "ok N - ..." / "not ok N - ...: details", "# ..." notes,
 * and a last line "N passed, M failed".  Exit status 0 iff nothing failed.
 */
#define _GNU_SOURCE
#include "vdso-image.h"
/* The emitted header and datapage.h both define VDSO_PAGE_SIZE, identically (4096). */
#include "elf_lookup.h"
#include "timekeeper.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "../common/tap.h"
#include "../common/map_image.h"

_Static_assert(VDSO_IMAGE_SIZE % VDSO_PAGE_SIZE == 0, "image size is page-rounded");
_Static_assert(VDSO_DATA_SIZE >= sizeof(struct vdso_time_data), "data area holds the page");

#define NS 1000000000LL
static const char *current = "startup";


static void on_crash(int sig)
{
	printf("not ok %d - %s: killed by signal %d\n", passed + failed + 1, current, sig);
	printf("%d passed, %d failed\n", passed, failed + 1);
	fflush(stdout);
	_exit(1);
}

typedef int (*cgt_fn)(clockid_t, struct timespec *);
typedef int (*gtod_fn)(struct timeval *, struct timezone *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);
static cgt_fn v_cgt, v_getres;
static gtod_fn v_gtod;
static time_fn v_time;
static getcpu_fn v_getcpu;

/* Raw system calls: result or -errno, as the vDSO returns it. */
static long sysret(long r) { return r == -1 ? -errno : r; }
static long s_cgt(clockid_t id, struct timespec *ts) { return sysret(syscall(SYS_clock_gettime, id, ts)); }
static long s_getres(clockid_t id, struct timespec *ts) { return sysret(syscall(SYS_clock_getres, id, ts)); }
static int64_t tsns(struct timespec t) { return (int64_t)t.tv_sec * NS + t.tv_nsec; }
static int64_t tvus(struct timeval t) { return (int64_t)t.tv_sec * 1000000 + t.tv_usec; }

#define FD_TO_CLOCKID(fd) ((clockid_t)((~(unsigned)(fd) << 3) | 3))
#define PROCESS_CPUCLOCK(pid) ((clockid_t)((~(unsigned)(pid) << 3) | 2))
static clockid_t ids[24];
static int nids;
static const char *idname(clockid_t id)
{
	static char b[32];
	snprintf(b, sizeof b, "clock %d", id);
	return b;
}
static int is_hres(clockid_t id) { return id == 0 || id == 1 || id == 4 || id == 7 || id == 11; }
static int is_coarse(clockid_t id) { return id == 5 || id == 6; }
static int is_served(clockid_t id) { return is_hres(id) || is_coarse(id); }

/* ---- the image ---- */

static unsigned char *base;			/* image base, R+X */
static struct vdso_time_data *wpage;		/* writable view of the data page */

static void map_image(void)
{
	int ok = map_vdso_image(&base, &wpage);
	report(ok, "map data page (R) and image (R+X)", "%s", strerror(errno));
	if (!ok)
		exit(1);
}

static void check_image(void)
{
	const unsigned char *im = vdso_image;
	int cls = im[EI_CLASS] == ELFCLASS64 ? 64 : im[EI_CLASS] == ELFCLASS32 ? 32 : 0;
	uint16_t mach;
	memcpy(&mach, im + 18, 2);
	report(memcmp(im, ELFMAG, SELFMAG) == 0 && cls == VDSO_ELF_CLASS && mach == VDSO_ELF_MACHINE,
	       "ELF magic, class and machine match the header", "class %d machine %u", cls, mach);
	int zero = 1;
	for (long i = VDSO_IMAGE_FILE_SIZE; i < VDSO_IMAGE_SIZE; i++)
		zero &= im[i] == 0;
	report(VDSO_IMAGE_FILE_SIZE <= VDSO_IMAGE_SIZE && zero, "image zero-padded past its file size", "not zero");
	report(memmem(im, VDSO_IMAGE_FILE_SIZE, vdso_build_id, VDSO_BUILD_ID_SIZE) != NULL,
	       "vdso_build_id occurs in the image", "not found");
	report(((uintptr_t)vdso_image & (VDSO_PAGE_SIZE - 1)) == 0, "vdso_image is page aligned", "%p", (void *)vdso_image);
}

static const struct { const char *name; long off; } exports[] = {
	{ "__vdso_clock_gettime", VDSO_SYM___vdso_clock_gettime }, { "clock_gettime", VDSO_SYM_clock_gettime },
	{ "__vdso_gettimeofday", VDSO_SYM___vdso_gettimeofday },   { "gettimeofday", VDSO_SYM_gettimeofday },
	{ "__vdso_time", VDSO_SYM___vdso_time },                   { "time", VDSO_SYM_time },
	{ "__vdso_clock_getres", VDSO_SYM___vdso_clock_getres },   { "clock_getres", VDSO_SYM_clock_getres },
	{ "__vdso_getcpu", VDSO_SYM___vdso_getcpu },               { "getcpu", VDSO_SYM_getcpu },
};
#define NEXP (int)(sizeof exports / sizeof exports[0])
#define VERSION "LINUX_2.6"

static void resolve(void)
{
	struct vdso_elf e;
	char d[128];
	report(vdso_elf_open(&e, base, VDSO_IMAGE_FILE_SIZE) == 0 && e.hash && e.gnu_hash && e.versym && e.verdef,
	       "image parses: DT_HASH, DT_GNU_HASH, DT_VERSYM, DT_VERDEF", "hash %d gnu %d versym %d verdef %d",
	       !!e.hash, !!e.gnu_hash, !!e.versym, !!e.verdef);
	for (int i = 0; i < NEXP; i++) {
		const unsigned char *h = vdso_elf_sym_hash(&e, exports[i].name, VERSION);
		const unsigned char *g = vdso_elf_sym_gnu_hash(&e, exports[i].name, VERSION);
		snprintf(d, sizeof d, "%s@%s via DT_HASH and DT_GNU_HASH == VDSO_SYM_%s", exports[i].name, VERSION,
			 exports[i].name);
		report(h && g == h && h - base == exports[i].off, d, "hash %ld gnu %ld header %#lx",
		       h ? (long)(h - base) : -1L, g ? (long)(g - base) : -1L, exports[i].off);
		snprintf(d, sizeof d, "%s not found with version LINUX_2.5, base version, or as %s_x", exports[i].name,
			 exports[i].name);
		char other[64];
		snprintf(other, sizeof other, "%s_x", exports[i].name);
		report(!vdso_elf_sym(&e, exports[i].name, "LINUX_2.5") && !vdso_elf_sym(&e, exports[i].name, "linux-vdso.so.1") &&
		       !vdso_elf_sym_hash(&e, other, VERSION) && !vdso_elf_sym_gnu_hash(&e, other, VERSION), d, "found");
	}
	v_cgt = (cgt_fn)(void *)vdso_elf_sym(&e, "__vdso_clock_gettime", VERSION);
	v_gtod = (gtod_fn)(void *)vdso_elf_sym(&e, "__vdso_gettimeofday", VERSION);
	v_time = (time_fn)(void *)vdso_elf_sym(&e, "__vdso_time", VERSION);
	v_getres = (cgt_fn)(void *)vdso_elf_sym(&e, "__vdso_clock_getres", VERSION);
	v_getcpu = (getcpu_fn)(void *)vdso_elf_sym(&e, "__vdso_getcpu", VERSION);
	if (!v_cgt || !v_gtod || !v_time || !v_getres || !v_getcpu) {
		report(0, "all entry points resolved", "missing");
		printf("%d passed, %d failed\n", passed, failed);
		exit(1);
	}
	/* A malformed image must never crash the parser: every truncation and
	 * a few thousand random corruptions of the first 1 KiB. */
	static unsigned char copy[VDSO_IMAGE_SIZE];
	current = "lookup on truncated/corrupted images";
	for (long n = 0; n <= VDSO_IMAGE_FILE_SIZE; n++)
		if (vdso_elf_open(&e, vdso_image, n) == 0)
			vdso_elf_sym_hash(&e, "getcpu", VERSION), vdso_elf_sym_gnu_hash(&e, "getcpu", VERSION);
	srand(1);
	for (int k = 0; k < 20000; k++) {
		memcpy(copy, vdso_image, VDSO_IMAGE_SIZE);
		for (int j = 0; j < 1 + k % 4; j++)
			copy[rand() % (VDSO_IMAGE_FILE_SIZE < 1024 ? VDSO_IMAGE_FILE_SIZE : 1024)] = (unsigned char)rand();
		if (vdso_elf_open(&e, copy, VDSO_IMAGE_FILE_SIZE) == 0)
			for (int i = 0; i < NEXP; i++) {
				const unsigned char *p = vdso_elf_sym_hash(&e, exports[i].name, VERSION);
				const unsigned char *q = vdso_elf_sym_gnu_hash(&e, exports[i].name, VERSION);
				if ((p && (p < copy || p >= copy + VDSO_IMAGE_FILE_SIZE)) ||
				    (q && (q < copy || q >= copy + VDSO_IMAGE_FILE_SIZE)))
					report(0, current, "result outside the image");
			}
	}
	report(1, "lookup survives every truncation and 20000 corruptions", "");
}

/* ---- clocks ---- */

/*
 * One clock id: return value and errno equal to the system call's; for served
 * clocks `syscall <= vdso <= syscall` over n rounds.  Coarse clocks may lag
 * by `lag` ns: the page's coarse values are the kernel's, copied by a
 * user-space writer after the kernel's tick, so right after a tick the
 * kernel is ahead until the next write (<= one writer period, < one tick).
 */
static void check_gettime(clockid_t id, int n, int64_t lag, const char *mode)
{
	struct timespec a = { 0, 0 }, v = { 0, 0 }, c = { 0, 0 };
	char d[128];
	long rs = s_cgt(id, &a), rv = v_cgt(id, &v);
	snprintf(d, sizeof d, "%s: clock_gettime(%s) returns what the syscall returns", mode, idname(id));
	report(rs == rv, d, "syscall %ld vdso %ld", rs, rv);
	if (rs != 0 || rv != 0)
		return;
	int64_t lo = INT64_MAX, hi = INT64_MAX, bad = 0, fa = 0, fv = 0, fc = 0;
	int64_t tol = is_coarse(id) ? lag : 0;
	for (int i = 0; i < n; i++) {
		s_cgt(id, &a);
		v_cgt(id, &v);
		s_cgt(id, &c);
		int64_t x = tsns(a), y = tsns(v), z = tsns(c);
		if (y - x < lo)
			lo = y - x;
		if (z - y < hi)
			hi = z - y;
		if (y + tol < x || y > z || v.tv_nsec < 0 || v.tv_nsec >= NS) {
			if (!bad++)
				fa = x, fv = y, fc = z;
		}
	}
	snprintf(d, sizeof d, "%s: %s: syscall <= vdso%s <= syscall, %d rounds (min margins %lld / %lld ns)", mode,
		 idname(id), tol ? " + lag" : "", n, (long long)lo, (long long)hi);
	report(!bad, d, "%lld bad, first %lld %lld %lld", (long long)bad, (long long)fa, (long long)fv, (long long)fc);
}

static void check_monotonic(clockid_t id, int n, const char *mode)
{
	struct timespec t;
	int64_t prev = 0, back = 0, worst = 0;
	for (int i = 0; i < n; i++) {
		v_cgt(id, &t);
		int64_t x = tsns(t);
		if (x < prev) {
			back++;
			if (prev - x > worst)
				worst = prev - x;
		}
		prev = x;
	}
	char d[128];
	snprintf(d, sizeof d, "%s: %s monotonic over %d calls", mode, idname(id), n);
	report(!back, d, "%lld steps back, worst %lld ns", (long long)back, (long long)worst);
}

static void check_getres(const char *mode)
{
	int bad = 0;
	char why[256] = "";
	for (int i = 0; i < nids; i++) {
		struct timespec a = { -1, -1 }, v = { -1, -1 };
		long rs = s_getres(ids[i], &a), rv = v_getres(ids[i], &v);
		long ns = s_getres(ids[i], NULL), nv = v_getres(ids[i], NULL);
		if (rs != rv || ns != nv || a.tv_sec != v.tv_sec || a.tv_nsec != v.tv_nsec) {
			bad++;
			snprintf(why, sizeof why, "%s: syscall %ld %ld.%09ld vdso %ld %ld.%09ld; NULL res %ld/%ld",
				 idname(ids[i]), rs, a.tv_sec, a.tv_nsec, rv, v.tv_sec, v.tv_nsec, ns, nv);
		}
	}
	char d[128];
	snprintf(d, sizeof d, "%s: clock_getres equal to the syscall for %d ids, with and without res", mode, nids);
	report(!bad, d, "%d differ, last %s", bad, why);
}

static void check_gtod_time(int n, int64_t lag, const char *mode)
{
	char d[128];
	struct timeval a, v, c;
	struct timezone tza = { 1, 1 }, tzv = { 2, 2 };
	long rs = sysret(syscall(SYS_gettimeofday, &a, &tza)), rv = v_gtod(&v, &tzv);
	snprintf(d, sizeof d, "%s: gettimeofday(tv, tz): same result and tz", mode);
	report(rs == rv && tza.tz_minuteswest == tzv.tz_minuteswest && tza.tz_dsttime == tzv.tz_dsttime, d,
	       "rc %ld/%ld tz %d,%d / %d,%d", rs, rv, tza.tz_minuteswest, tza.tz_dsttime, tzv.tz_minuteswest, tzv.tz_dsttime);
	tza = (struct timezone){ 1, 1 }, tzv = (struct timezone){ 2, 2 };
	rs = sysret(syscall(SYS_gettimeofday, NULL, &tza)), rv = v_gtod(NULL, &tzv);
	long rs0 = sysret(syscall(SYS_gettimeofday, NULL, NULL)), rv0 = v_gtod(NULL, NULL);
	snprintf(d, sizeof d, "%s: gettimeofday(NULL, tz) and (NULL, NULL)", mode);
	report(rs == rv && rs0 == rv0 && tza.tz_minuteswest == tzv.tz_minuteswest && tza.tz_dsttime == tzv.tz_dsttime,
	       d, "rc %ld/%ld %ld/%ld", rs, rv, rs0, rv0);
	int bad = 0;
	int64_t fx = 0, fy = 0, fz = 0;
	for (int i = 0; i < n; i++) {
		syscall(SYS_gettimeofday, &a, NULL);
		v_gtod(&v, NULL);
		syscall(SYS_gettimeofday, &c, NULL);
		if (tvus(v) < tvus(a) || tvus(v) > tvus(c) || v.tv_usec < 0 || v.tv_usec >= 1000000)
			if (!bad++)
				fx = tvus(a), fy = tvus(v), fz = tvus(c);
	}
	snprintf(d, sizeof d, "%s: gettimeofday(tv, NULL): syscall <= vdso <= syscall, %d rounds", mode, n);
	report(!bad, d, "%d bad, first %lld %lld %lld us", bad, (long long)fx, (long long)fy, (long long)fz);
	/*
	 * time() is the kernel's coarse seconds (xtime_sec): the vDSO's may lag
	 * by `lag` ns like the coarse clocks, so it is at least the seconds of
	 * (REALTIME_COARSE before - lag) and at most the syscall's time() after.
	 */
	bad = 0;
	for (int i = 0; i < n; i++) {
		struct timespec k;
		s_cgt(CLOCK_REALTIME_COARSE, &k);
		long st = -1, y = v_time(&st), z = syscall(SYS_time, NULL);
		int64_t lo = (tsns(k) - lag) / NS;
		if (y != st || y > z || y < lo)
			if (!bad++)
				fx = lo, fy = y, fz = z;
	}
	snprintf(d, sizeof d, "%s: time(): coarse - lag <= vdso <= syscall, *tloc == result, %d rounds", mode, n);
	report(!bad, d, "%d bad, first %lld %lld %lld", bad, (long long)fx, (long long)fy, (long long)fz);
	long r1 = syscall(SYS_time, NULL), r2 = v_time(NULL), r3 = syscall(SYS_time, NULL);
	snprintf(d, sizeof d, "%s: time(NULL)", mode);
	report(r2 >= r1 - (lag ? 1 : 0) && r2 <= r3, d, "%ld %ld %ld", r1, r2, r3);
}

static void check_getcpu(const char *mode)
{
	cpu_set_t all, one;
	sched_getaffinity(0, sizeof all, &all);
	int bad = 0, ncpu = 0;
	char why[200] = "";
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &all))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof one, &one))
			continue;
		ncpu++;
		for (int k = 0; k < 100; k++) {
			unsigned sc = ~0u, sn = ~0u, vc = ~1u, vn = ~1u, c1 = ~0u, n1 = ~0u;
			long rs = sysret(syscall(SYS_getcpu, &sc, &sn, NULL)), rv = v_getcpu(&vc, &vn, NULL);
			long r1 = v_getcpu(&c1, NULL, NULL), r2 = v_getcpu(NULL, &n1, NULL), r3 = v_getcpu(NULL, NULL, NULL);
			if (rs != rv || sc != vc || sn != vn || sc != (unsigned)cpu || r1 || r2 || r3 || c1 != sc || n1 != sn) {
				bad++;
				snprintf(why, sizeof why, "cpu %d: syscall %ld %u/%u vdso %ld %u/%u; NULL args %ld %ld %ld",
					 cpu, rs, sc, sn, rv, vc, vn, r1, r2, r3);
			}
		}
	}
	sched_setaffinity(0, sizeof all, &all);
	char d[128];
	snprintf(d, sizeof d, "%s: getcpu equals the syscall on each of %d CPUs, NULL args too", mode, ncpu);
	report(!bad && ncpu > 0, d, "%d bad, last %s", bad, why);
}

static void run_clock_checks(int count, int64_t lag, const char *mode)
{
	int rounds = count / 10 > 1000 ? count / 10 : 1000;
	for (int i = 0; i < nids; i++) {
		current = idname(ids[i]);
		check_gettime(ids[i], is_served(ids[i]) || ids[i] == 2 || ids[i] == 3 ? rounds : 1, lag, mode);
	}
	for (int i = 0; i <= 11; i++)
		if (is_served(i))
			check_monotonic(i, count, mode);
	current = "clock_getres";
	check_getres(mode);
	current = "gettimeofday/time";
	check_gtod_time(rounds, lag, mode);
	current = "getcpu";
	check_getcpu(mode);
}

/* A time-namespace-like offset: every served clock is the kernel's + offset. */
static void check_offsets(void)
{
	const int64_t rt = 1000 * NS + 123, mono = 5000 * NS + 456;
	struct vdso_tk_options o = { .realtime_offset_ns = rt, .monotonic_offset_ns = mono, .clock_mode = VDSO_TK_AUTO, .cpu_mode = VDSO_TK_AUTO };
	vdso_tk_stop_thread(wpage);
	report(vdso_tk_init(wpage, &o) == 0 && vdso_tk_start_thread(wpage, 1000) == 0, "re-init with offsets", "failed");
	usleep(100000);
	int bad = 0;
	char why[160] = "";
	for (clockid_t id = 0; id <= 11; id++) {
		if (!is_served(id))
			continue;
		int64_t off = id == 0 || id == 5 || id == 11 ? rt : mono, tol = is_coarse(id) ? (int64_t)wpage->coarse_res : 0;
		for (int i = 0; i < 1000; i++) {
			struct timespec a, v, c;
			s_cgt(id, &a), v_cgt(id, &v), s_cgt(id, &c);
			int64_t y = tsns(v) - off;
			if (y + tol < tsns(a) || y > tsns(c)) {
				bad++;
				snprintf(why, sizeof why, "%s: %lld %lld %lld", idname(id), (long long)tsns(a), (long long)y, (long long)tsns(c));
			}
		}
	}
	report(!bad, "offsets: vdso - offset within the syscall window for every served clock", "%d bad, last %s", bad, why);
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 1000000;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGSEGV, on_crash), signal(SIGBUS, on_crash), signal(SIGILL, on_crash), signal(SIGFPE, on_crash);
	int devnull = open("/dev/null", O_RDONLY);
	for (int i = 0; i <= 12; i++)
		ids[nids++] = i;
	clockid_t extra[] = { 16, -1, INT_MIN, INT_MAX, FD_TO_CLOCKID(devnull), PROCESS_CPUCLOCK(getpid()) };
	for (unsigned i = 0; i < sizeof extra / sizeof extra[0]; i++)
		ids[nids++] = extra[i];

	check_image();
	map_image();
	resolve();

	struct vdso_tk_options o = { .clock_mode = VDSO_TK_AUTO, .cpu_mode = VDSO_TK_AUTO };
	int rc = vdso_tk_init(wpage, &o);
	report(rc == 0 && vdso_tk_start_thread(wpage, 1000) == 0, "timekeeper fills the page, writer thread runs", "rc %d", rc);
	printf("# clock_mode %d cpu_mode %d counter %llu Hz shift %u hrtimer_res %u coarse_res %u\n",
	       wpage->clock_data[0].clock_mode, wpage->cpu_mode, (unsigned long long)wpage->counter_hz,
	       wpage->clock_data[0].shift, wpage->hrtimer_res, wpage->coarse_res);
	usleep(300000);	/* let the steering settle */
	/*
	 * A coarse reading may trail the kernel's by one tick: the kernel ticks,
	 * and the writer copies the new coarse values at its next update.  The
	 * tick's length in ns is the nominal resolution give or take the
	 * timekeeper's NTP adjustment (4000001 ns for a 4 ms tick has been seen),
	 * so the bound is one tick plus a thousandth of it.
	 */
	int64_t lag = wpage->coarse_res + wpage->coarse_res / 1000;
	run_clock_checks(count, lag, "counter");

	struct vdso_tk_stats st;
	vdso_tk_get_stats(wpage, &st);
	printf("# timekeeper: %llu updates, %llu samples, %llu rejected, bracket >= %.0f ns, max writer gap %.2f ms\n",
	       (unsigned long long)st.updates, (unsigned long long)st.samples, (unsigned long long)st.rejected,
	       st.bracket_min_ns, st.max_gap_ns / 1e6);
	printf("# kernel - page: MONOTONIC mean |e| %.1f ns, max %.1f ns; MONOTONIC_RAW mean %.1f ns, max %.1f ns\n",
	       st.mono_err_meanabs, st.mono_err_maxabs, st.raw_err_meanabs, st.raw_err_maxabs);

	check_offsets();

	/* getcpu through the system call, whatever the CPU offers. */
	vdso_tk_stop_thread(wpage);
	o.cpu_mode = VDSO_CPUMODE_SYSCALL;
	report(vdso_tk_init(wpage, &o) == 0, "re-init with cpu_mode SYSCALL", "failed");
	check_getcpu("cpu syscall");

	/* Clock mode NONE: every call is the system call's. */
	o.clock_mode = VDSO_CLOCKMODE_NONE;
	o.cpu_mode = VDSO_TK_AUTO;
	report(vdso_tk_init(wpage, &o) == 0 && vdso_tk_start_thread(wpage, 1000) == 0, "re-init with clock_mode NONE",
	       "failed");
	run_clock_checks(count / 10 > 10000 ? count / 10 : 10000, 0, "none");
	vdso_tk_fini(wpage);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
