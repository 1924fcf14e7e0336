/*
 * /init: finds the vDSO through AT_SYSINFO_EHDR, resolves every LINUX_2.6
 * export by name and version as a libc does, calls each one and holds it
 * against the system call, printing one TAP line per check on the serial
 * console (write(2)), then "N passed, M failed"; exits with M != 0.
 */
#include "sys.h"
#include "out.h"
#include "vdso_sym.h"
#include <vdso/datapage.h>
#include <vdso/getrandom.h>
#include "vdso64-image.h"	/* only for the symbol offsets the kernel's header promises */

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_RANDOM	25
#define AT_SYSINFO_EHDR	33
#define NSEC		1000000000L

typedef int (*gettime_fn)(int, struct ts *);	/* clock_gettime and clock_getres */
typedef int (*gettimeofday_fn)(struct tv *, void *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);
typedef long (*getrandom_fn)(void *, size_t, unsigned, void *, size_t);

static struct {
	gettime_fn clock_gettime, clock_getres;
	gettimeofday_fn gettimeofday;
	time_fn time;
	getcpu_fn getcpu;
	getrandom_fn getrandom;
} vdso;

static int tests, failed;
static u64 aux[64];

void _start(void);
extern const u8 __ehdr_start[];

static int check(int ok, const char *what, const char *arg)
{
	tests++;
	failed += !ok;
	out_str(ok ? "ok " : "not ok ");
	out_dec(tests);
	out_str(" - ");
	out_str(what);
	out_str(arg);
	out_line();
	return ok;
}

static s64 ns(struct ts t) { return t.sec * NSEC + t.nsec; }
static int le(struct ts a, struct ts b) { return ns(a) <= ns(b); }
static struct ts sys_clock(int id)
{
	struct ts t = { -1, -1 };

	sys3(SYS_clock_gettime, id, &t, 0);
	return t;
}

static u64 check_auxv(u64 *sp)
{
	u64 *p = sp + 1 + sp[0] + 1;	/* past argc, argv[], NULL */
	const u8 *rnd;
	char addr[19];
	u64 base;

	while (*p++)			/* envp[] */
		;
	for (; p[0] != AT_NULL; p += 2)
		if (p[0] < sizeof(aux) / sizeof(aux[0]))
			aux[p[0]] = p[1];
	base = aux[AT_SYSINFO_EHDR];
	rnd = (const u8 *)aux[AT_RANDOM];
	check(sp[0] == 1 && streq((const char *)sp[1], "/init"), "argc 1, argv[0] /init", "");
	/* The address goes into the TAP line itself, so a test can compare two boots. */
	tohex(addr, base);
	check(base && !(base & 4095), "AT_SYSINFO_EHDR: page-aligned vDSO image at ", addr);
	check(aux[AT_PAGESZ] == 4096, "AT_PAGESZ 4096", "");
	check(aux[AT_ENTRY] == (u64)_start, "AT_ENTRY is _start", "");
	check(aux[AT_PHDR] == (u64)__ehdr_start + ((const u64 *)__ehdr_start)[4] &&
	      aux[AT_PHNUM] == *(const unsigned short *)(__ehdr_start + 56), "AT_PHDR, AT_PHNUM: this program's headers", "");
	check(rnd && (((const u64 *)rnd)[0] | ((const u64 *)rnd)[1]), "AT_RANDOM: 16 bytes, not all zero", "");
	return base;
}

static const char *const names[] = {
	"__vdso_clock_gettime", "__vdso_clock_getres", "__vdso_gettimeofday", "__vdso_time",
	"__vdso_getcpu", "__vdso_getrandom",
};
static const u64 header_offsets[] = {
	VDSO64_SYM___vdso_clock_gettime, VDSO64_SYM___vdso_clock_getres, VDSO64_SYM___vdso_gettimeofday,
	VDSO64_SYM___vdso_time, VDSO64_SYM___vdso_getcpu, VDSO64_SYM___vdso_getrandom,
};

/*
 * Every export through both hash tables, in LINUX_2.6 only, where the
 * emitted header says it is; and the data pages the kernel filled.
 */
static void resolve(u64 base)
{
	struct vdso v;
	void *sym[6];
	unsigned i;
	const struct vdso_time_data *tp = (const void *)(base - VDSO_TIME_PAGE_OFFSET * VDSO_PAGE_SIZE);
	const struct vdso_rng_data *rp = (const void *)(base - VDSO_RNG_PAGE_OFFSET * VDSO_PAGE_SIZE);

	if (!check(vdso_open(&v, base) == 0, "the vDSO is an ELF64 image with PT_DYNAMIC, symbols, hash", ""))
		return;
	for (i = 0; i < 6; i++) {
		sym[i] = vdso_sym(&v, names[i], "LINUX_2.6", 1);
		check(sym[i] && sym[i] == vdso_sym(&v, names[i], "LINUX_2.6", 0) &&
		      (u64)sym[i] - base == header_offsets[i],
		      "LINUX_2.6, by DT_GNU_HASH and DT_HASH, at the header's offset: ", names[i]);
	}
	check(!vdso_sym(&v, "__vdso_clock_gettime", "LINUX_2.5", 1) && !vdso_sym(&v, "__vdso_clock_gettime", "LINUX_2.5", 0),
	      "no __vdso_clock_gettime in a version the image does not define", "");
	check(!vdso_sym(&v, "vdso_time_data", "LINUX_2.6", 1), "the hidden data symbol is not exported", "");
	vdso.clock_gettime = (gettime_fn)sym[0];
	vdso.clock_getres = (gettime_fn)sym[1];
	vdso.gettimeofday = (gettimeofday_fn)sym[2];
	vdso.time = (time_fn)sym[3];
	vdso.getcpu = (getcpu_fn)sym[4];
	vdso.getrandom = (getrandom_fn)sym[5];
	check(tp->magic == VDSO_DATA_MAGIC && tp->clock_data[VDSO_CS_HRES_COARSE].clock_mode == VDSO_CLOCKMODE_COUNTER,
	      "the time page below the image is filled, COUNTER mode", "");
	check(rp->is_ready == 1 && rp->generation == 1, "the rng page two below is ready, generation 1", "");
}

/* The clocks the time page serves; a coarse one names the hres clock it follows. */
static const struct { int id, hres_id; const char *name; } clocks[] = {
	{ VDSO_CLOCK_REALTIME, -1, "CLOCK_REALTIME" },
	{ VDSO_CLOCK_MONOTONIC, -1, "CLOCK_MONOTONIC" },
	{ VDSO_CLOCK_MONOTONIC_RAW, -1, "CLOCK_MONOTONIC_RAW" },
	{ VDSO_CLOCK_BOOTTIME, -1, "CLOCK_BOOTTIME" },
	{ VDSO_CLOCK_TAI, -1, "CLOCK_TAI" },
	{ VDSO_CLOCK_REALTIME_COARSE, VDSO_CLOCK_REALTIME, "CLOCK_REALTIME_COARSE" },
	{ VDSO_CLOCK_MONOTONIC_COARSE, VDSO_CLOCK_MONOTONIC, "CLOCK_MONOTONIC_COARSE" },
};
#define NCLOCKS (sizeof(clocks) / sizeof(clocks[0]))

/*
 * Each clock through the vDSO, between two system calls of the same clock:
 * the kernel's clock_gettime is vdso_kt_read, the vDSO's computation from
 * the same timekeeper, so before <= vDSO <= after exactly.
 */
static void check_clocks(void)
{
	unsigned i;

	for (i = 0; i < NCLOCKS; i++) {
		struct ts b, v, a;
		int r;

		b = sys_clock(clocks[i].id);
		r = vdso.clock_gettime(clocks[i].id, &v);
		a = sys_clock(clocks[i].id);
		check(r == 0 && le(b, v) && le(v, a), "__vdso_clock_gettime within the system call's bracket: ",
		      clocks[i].name);
	}
}

/*
 * A coarse clock is its hres clock at the last tick: never ahead of it, and
 * at most one tick (its clock_getres) behind -- when ticks come on time.
 * Under an emulator on a loaded host the vCPU can miss ticks (they coalesce)
 * or be descheduled between a tick and the read while the TSC, the host's,
 * runs on; so each try starts right after a tick, and a lag beyond a tick is
 * tried again.  A coarse clock that is really off fails every try.
 */
static void check_coarse(void)
{
	unsigned i, tries;

	for (i = 0; i < NCLOCKS; i++) {
		int id = clocks[i].id, hres = clocks[i].hres_id, ok = 0;
		struct ts h0, v, h1, c0, res = { 0, 0 };

		if (hres < 0)
			continue;
		sys3(SYS_clock_getres, id, &res, 0);
		for (tries = 0; tries < 20 && !ok; tries++) {
			vdso.clock_gettime(id, &c0);
			h0 = sys_clock(hres);
			do	/* until the next tick, for at most a second */
				vdso.clock_gettime(id, &v);
			while (ns(v) == ns(c0) && ns(sys_clock(hres)) - ns(h0) < NSEC);
			h0 = sys_clock(hres);
			vdso.clock_gettime(id, &v);
			h1 = sys_clock(hres);
			if (!le(v, h1))
				break;		/* ahead of its hres clock: wrong, no retry */
			ok = ns(h0) - ns(v) <= ns(res) && ns(res) > 0;
		}
		check(ok, "within a tick of its hres clock's bracket: ", clocks[i].name);
	}
}

/* clock_getres for every clock, and an id the page does not serve (the vDSO passes the kernel's -EINVAL on). */
static void check_getres(void)
{
	unsigned i;
	struct ts v, s;

	for (i = 0; i < NCLOCKS; i++) {
		int rv = vdso.clock_getres(clocks[i].id, &v), rs = (int)sys3(SYS_clock_getres, clocks[i].id, &s, 0);

		check(rv == 0 && rs == 0 && v.sec == s.sec && v.nsec == s.nsec && v.nsec > 0,
		      "__vdso_clock_getres equals the system call's: ", clocks[i].name);
	}
	check(vdso.clock_gettime(100, &v) == -22 && vdso.clock_getres(100, &v) == -22,
	      "clock id 100: the kernel's -EINVAL through the vDSO's fallback", "");
}

static void check_gettimeofday_time(void)
{
	struct ts b, a, vt;
	struct tv tv = { 0, 0 };
	struct { int minuteswest, dsttime; } tz = { -1, -1 };
	long t0, t, t1, stored = -1;
	int r;

	b = sys_clock(VDSO_CLOCK_REALTIME);
	r = vdso.gettimeofday(&tv, &tz);
	a = sys_clock(VDSO_CLOCK_REALTIME);
	b.nsec -= b.nsec % 1000;	/* gettimeofday truncates to microseconds */
	vt.sec = tv.sec, vt.nsec = tv.usec * 1000;
	check(r == 0 && le(b, vt) && le(vt, a) && tz.minuteswest == 0 && tz.dsttime == 0,
	      "__vdso_gettimeofday within CLOCK_REALTIME's bracket, time zone UTC", "");
	t0 = sys3(SYS_time, 0, 0, 0);
	t = vdso.time(&stored);
	t1 = sys3(SYS_time, 0, 0, 0);
	check(t0 <= t && t <= t1 && stored == t && t > 1600000000, "__vdso_time within time(2)'s bracket, after 2020", "");
}

static void check_getcpu(void)
{
	unsigned c = ~0u, n = ~0u, sc = ~1u, sn = ~1u;
	long r = vdso.getcpu(&c, &n, 0), rs = sys3(SYS_getcpu, &sc, &sn, 0);

	check(r == 0 && rs == 0 && c == sc && n == sn, "__vdso_getcpu equals the system call's (CPU 0, node 0)", "");
}

static int nonzero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return 1;
	return 0;
}

/*
 * getrandom as a libc drives it: ask the vDSO for its state's size and how
 * to allocate it, mmap one (MAP_DROPPABLE included), then draw bytes.  The
 * first draw keys the state through the getrandom system call.
 */
static void check_getrandom(void)
{
	struct vdso_getrandom_params p;
	u8 a[32], b[32], big[1000], sa[16], sb[16];
	long r, ra, rb, rbig;
	void *state;

	memset(&p, 0, sizeof(p));
	r = vdso.getrandom(0, 0, 0, &p, VDSO_GETRANDOM_PARAMS_QUERY);
	check(r == 0 && p.size_of_opaque_state > 0 && p.size_of_opaque_state <= 4096 &&
	      p.mmap_flags == (VDSO_MAP_DROPPABLE | VDSO_MAP_ANONYMOUS),
	      "__vdso_getrandom's parameter query: a state size and MAP_DROPPABLE|MAP_ANONYMOUS", "");
	r = sys6(SYS_mmap, 0, 4096, p.mmap_prot, p.mmap_flags, -1, 0);
	if (!check(r > 0 || r < -4095, "mmap(2) of the state as the vDSO asked", ""))
		return;
	state = (void *)r;
	ra = vdso.getrandom(a, sizeof(a), 0, state, p.size_of_opaque_state);
	rb = vdso.getrandom(b, sizeof(b), 0, state, p.size_of_opaque_state);
	rbig = vdso.getrandom(big, sizeof(big), 0, state, p.size_of_opaque_state);
	check(ra == 32 && rb == 32 && rbig == (long)sizeof(big), "__vdso_getrandom fills what it is asked", "");
	check(memcmp(a, b, sizeof(a)) != 0 && nonzero(a, sizeof(a)) && nonzero(b, sizeof(b)) &&
	      nonzero(big + sizeof(big) - 16, 16), "__vdso_getrandom: fresh bytes each call, not all zero", "");
	check(vdso.getrandom(a, sizeof(a), VDSO_GRND_RANDOM | VDSO_GRND_INSECURE, state, p.size_of_opaque_state) == -22,
	      "__vdso_getrandom passes the kernel's -EINVAL for GRND_RANDOM|GRND_INSECURE", "");
	ra = sys3(SYS_getrandom, sa, sizeof(sa), 0);
	rb = sys3(SYS_getrandom, sb, sizeof(sb), 0);
	check(ra == 16 && rb == 16 && memcmp(sa, sb, sizeof(sa)) != 0, "getrandom(2): two calls differ", "");
}

/*
 * 100 timer ticks, seen as CLOCK_MONOTONIC_COARSE changing, while
 * CLOCK_MONOTONIC through the vDSO and the system call, interleaved, never
 * goes back: the tick handler's seqlock writes and its folding of the TSC
 * into the bases are invisible to readers.  Gives up after 5 s.
 */
static void check_ticks(void)
{
	struct ts start, prev, now, s, c, cprev;
	int changes = 0, back = 0;

	vdso.clock_gettime(VDSO_CLOCK_MONOTONIC, &start);
	prev = start;
	vdso.clock_gettime(VDSO_CLOCK_MONOTONIC_COARSE, &cprev);
	while (changes < 100 && ns(prev) - ns(start) < 5 * NSEC) {
		vdso.clock_gettime(VDSO_CLOCK_MONOTONIC, &now);
		s = sys_clock(VDSO_CLOCK_MONOTONIC);
		back += !le(prev, now) || !le(now, s);
		vdso.clock_gettime(VDSO_CLOCK_MONOTONIC, &prev);
		back += !le(s, prev);
		vdso.clock_gettime(VDSO_CLOCK_MONOTONIC_COARSE, &c);
		if (ns(c) != ns(cprev)) {
			back += !le(cprev, c);
			changes++;
			cprev = c;
		}
	}
	check(changes >= 100, "100 timer ticks seen through __vdso_clock_gettime(CLOCK_MONOTONIC_COARSE)", "");
	check(!back, "CLOCK_MONOTONIC (vDSO and system call interleaved) never went back across them", "");
	out_str("# 100 ticks took ");
	out_dec((ns(prev) - ns(start)) / 1000000);
	out_str(" ms");
	out_line();
}

_Noreturn void main(u64 *sp)
{
	u64 base = check_auxv(sp);

	resolve(base);
	if (vdso.clock_gettime && vdso.clock_getres && vdso.gettimeofday && vdso.time && vdso.getcpu &&
	    vdso.getrandom) {
		check_clocks();
		check_coarse();
		check_getres();
		check_gettimeofday_time();
		check_getcpu();
		check_getrandom();
		check_ticks();
	}
	out_str("1..");
	out_dec(tests);
	out_line();
	out_dec(tests - failed);
	out_str(" passed, ");
	out_dec(failed);
	out_str(" failed");
	out_line();
	sys3(SYS_exit_group, failed != 0, 0, 0);
	for (;;)
		;
}
