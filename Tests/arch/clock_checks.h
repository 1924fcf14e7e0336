/* SPDX-License-Identifier: MIT */
/*
 * The clock checks: every entry point of the time family against the
 * system call, ordering, monotonicity, getres, gettimeofday and time.
 * Part of the freestanding vDSO harness: #included by harness.c (one
 * translation unit, no C library), after the architecture header.
 */

/* ---- clock checks ---- */

static int ids[24], nids;
static int is_hres(int id) { return id == 0 || id == 1 || id == 4 || id == 7 || id == 11; }
static int is_coarse(int id) { return id == 5 || id == 6; }
static int served(int id) { return is_hres(id) || is_coarse(id); }

static void id_desc(const char *mode, const char *fn, int id, const char *what)
{
	sb_s(D, mode);
	sb_s(D, ": ");
	sb_s(D, fn);
	sb_s(D, "(");
	sb_d(D, id);
	sb_s(D, "): ");
	sb_s(D, what);
}

/*
 * clock_gettime (native or 64-bit time) for one id: same return value as
 * the system call; for served clocks in a counter mode, the ordering above.
 */
static void check_gettime(int id, int wide, const char *mode, int64_t tol, int64_t lag)
{
	struct tsn an = { 0, 0 }, vn = { 0, 0 }, cn = { 0, 0 };
	struct ts64 a = { 0, 0 }, v = { 0, 0 }, c = { 0, 0 };
	long rs, rv;
	if (wide)
		rs = s_cgt64(id, &a), rv = v_cgt64(id, &v);
	else
		rs = s_cgt(id, &an), rv = v_cgt(id, &vn);
	id_desc(mode, wide ? "clock_gettime64" : "clock_gettime", id, "returns what the syscall returns");
	sb_s(W, "syscall ");
	sb_d(W, rs);
	sb_s(W, " vdso ");
	sb_d(W, rv);
	report(rs == rv);
	if (rs || rv || !served(id))
		return;
	int64_t lo = INT64_MAX, hi = INT64_MAX, bad = 0, fa = 0, fv = 0, fc = 0;
	int64_t low = tol + (is_coarse(id) ? lag : 0);
	for (int i = 0; i < ROUNDS; i++) {
		if (i % REFILL_EVERY == 0)
			refill();
		int64_t x, y, z, vnsec;
		if (wide) {
			s_cgt64(id, &a), v_cgt64(id, &v), s_cgt64(id, &c);
			x = ns64(a), y = ns64(v), z = ns64(c), vnsec = v.tv_nsec;
		} else {
			s_cgt(id, &an), v_cgt(id, &vn), s_cgt(id, &cn);
			x = nsn(an), y = nsn(vn), z = nsn(cn), vnsec = vn.tv_nsec;
		}
		if (y - x < lo)
			lo = y - x;
		if (z - y < hi)
			hi = z - y;
		/* Coarse: within a tick of the system call, or exactly the page's value however old. */
		int early = y + low < x && !(is_coarse(id) && page->magic == VDSO_DATA_MAGIC && y == page_coarse_ns(id));
		if (early || y > z + tol || vnsec < 0 || vnsec >= NS)
			if (!bad++)
				fa = x, fv = y, fc = z;
	}
	id_desc(mode, wide ? "clock_gettime64" : "clock_gettime", id,
		is_coarse(id) ? "syscall - tick <= vdso (or exactly the page's value) <= syscall" : "syscall <= vdso <= syscall");
	sb_s(D, ", min margins ");
	sb_d(D, lo);
	sb_s(D, " / ");
	sb_d(D, hi);
	sb_s(D, " ns");
	sb_d(W, bad);
	sb_s(W, " bad, first ");
	sb_d(W, fa);
	sb_s(W, " ");
	sb_d(W, fv);
	sb_s(W, " ");
	sb_d(W, fc);
	report(!bad);
}

/* Within one fill the vDSO's clock is a pure function of the counter: never backwards. */
static void check_monotonic(int id, int wide, const char *mode)
{
	int64_t prev = 0, back = 0;
	refill();
	for (int i = 0; i < MONO_CALLS; i++) {
		int64_t x;
		if (wide) {
			struct ts64 t;
			v_cgt64(id, &t);
			x = ns64(t);
		} else {
			struct tsn t;
			v_cgt(id, &t);
			x = nsn(t);
		}
		if (x < prev)
			back++;
		prev = x;
	}
	id_desc(mode, wide ? "clock_gettime64" : "clock_gettime", id, "monotonic within one fill");
	sb_s(W, "steps back: ");
	sb_d(W, back);
	report(!back);
}

static void check_getres(const char *mode)
{
	int bad = 0;
	for (int i = 0; i < nids; i++) {
		struct tsn a = { -1, -1 }, v = { -1, -1 };
		long rs = s_getres(ids[i], &a), rv = v_getres(ids[i], &v);
		long rs0 = s_getres(ids[i], NULL), rv0 = v_getres(ids[i], NULL);
		int ok = rs == rv && rs0 == rv0 && a.tv_sec == v.tv_sec && a.tv_nsec == v.tv_nsec;
#if ARCH_TIME64
		struct ts64 a6 = { -1, -1 }, v6 = { -1, -1 };
		if (v_getres64) {
			rs = s_getres64(ids[i], &a6), rv = v_getres64(ids[i], &v6);
			rs0 = s_getres64(ids[i], NULL), rv0 = v_getres64(ids[i], NULL);
			ok = ok && rs == rv && rs0 == rv0 && a6.tv_sec == v6.tv_sec && a6.tv_nsec == v6.tv_nsec;
		}
#endif
		if (!ok && !bad++) {
			sb_s(W, "first clock ");
			sb_d(W, ids[i]);
		}
	}
	sb_s(D, mode);
	sb_s(D, v_getres64 ? ": clock_getres and clock_getres_time64 equal the syscalls for every id, NULL res too"
			   : ": clock_getres equals the syscall for every id, NULL res too");
	report(!bad);
}

static void check_gtod(const char *mode, int64_t tol)
{
	struct tvn a, v, c;
	struct tzn tza = { 1, 1 }, tzv = { 2, 2 };
	long rs = sys(NR_gettimeofday, (long)&a, (long)&tza, 0), rv = v_gtod(&v, &tzv);
	sb_s(D, mode);
	sb_s(D, ": gettimeofday(tv, tz): same result and time zone");
	report(rs == rv && tza.tz_minuteswest == tzv.tz_minuteswest && tza.tz_dsttime == tzv.tz_dsttime);
	tza = (struct tzn){ 1, 1 }, tzv = (struct tzn){ 2, 2 };
	rs = sys(NR_gettimeofday, 0, (long)&tza, 0), rv = v_gtod(NULL, &tzv);
	long rs0 = sys(NR_gettimeofday, 0, 0, 0), rv0 = v_gtod(NULL, NULL);
	sb_s(D, mode);
	sb_s(D, ": gettimeofday(NULL, tz) and (NULL, NULL)");
	report(rs == rv && rs0 == rv0 && tza.tz_minuteswest == tzv.tz_minuteswest && tza.tz_dsttime == tzv.tz_dsttime);
	int bad = 0;
	int64_t t = tol / 1000;
	for (int i = 0; i < ROUNDS; i++) {
		if (i % REFILL_EVERY == 0)
			refill();
		sys(NR_gettimeofday, (long)&a, 0, 0);
		v_gtod(&v, NULL);
		sys(NR_gettimeofday, (long)&c, 0, 0);
		int64_t x = (int64_t)a.tv_sec * 1000000 + a.tv_usec, y = (int64_t)v.tv_sec * 1000000 + v.tv_usec,
			z = (int64_t)c.tv_sec * 1000000 + c.tv_usec;
		if (y + t < x || y > z + t || v.tv_usec < 0 || v.tv_usec >= 1000000)
			if (!bad++) {
				sb_d(W, x), sb_s(W, " "), sb_d(W, y), sb_s(W, " "), sb_d(W, z);
			}
	}
	sb_s(D, mode);
	sb_s(D, ": syscall <= gettimeofday(tv, NULL) <= syscall (us)");
	report(!bad);
}

#ifdef NR_time
static void check_time(const char *mode, int64_t lag)
{
	int bad = 0;
	for (int i = 0; i < ROUNDS; i++) {
		if (i % REFILL_EVERY == 0)
			refill();
		struct ts64 k;
		s_cgt64(VDSO_CLOCK_REALTIME_COARSE, &k);
		long st = -1, y = v_time(&st), z = sys(NR_time, 0, 0, 0);
		int64_t lo = (int64_t)((uint64_t)(ns64(k) - lag) / NS);
		int from_page = page->magic == VDSO_DATA_MAGIC && (uint64_t)y == page->clock_data[VDSO_CS_HRES_COARSE].basetime[VDSO_CLOCK_REALTIME_COARSE].sec;
		if (y != st || y > z || (y < lo && !from_page))
			if (!bad++) {
				sb_d(W, lo), sb_s(W, " "), sb_d(W, y), sb_s(W, " "), sb_d(W, z);
			}
	}
	sb_s(D, mode);
	sb_s(D, ": time(): coarse - lag (or the page's value) <= vdso <= syscall, *tloc == result");
	report(!bad);
}
#endif

static void run_clock_checks(const char *mode, int64_t tol, int64_t lag, int rounds_too)
{
	for (int i = 0; i < nids; i++) {
		check_gettime(ids[i], 0, mode, tol, lag);
		if (ARCH_TIME64)
			check_gettime(ids[i], 1, mode, tol, lag);
	}
	if (rounds_too)
		for (int id = 0; id <= 11; id++)
			if (served(id)) {
				check_monotonic(id, 0, mode);
				if (ARCH_TIME64)
					check_monotonic(id, 1, mode);
			}
	check_getres(mode);
	check_gtod(mode, tol);
#ifdef NR_time
	if (v_time)
		check_time(mode, lag);
#endif
}
