/* SPDX-License-Identifier: MIT */
/*
 * Generic helpers for the vDSO routines: compiler annotations, the
 * sequence-lock read side, the hres counter-to-nanoseconds conversion and
 * the nanoseconds-to-seconds split.
 *
 * Freestanding and architecture-independent: everything the hardware
 * decides (counter read, barriers, wide multiply, system call) comes from
 * the architecture's <asm/vdso.h>, included below.
 */
#ifndef VDSOGEN_VDSO_HELPERS_H
#define VDSOGEN_VDSO_HELPERS_H

#include <vdso/datapage.h>

#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define __noinline		__attribute__((__noinline__))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/*
 * A single, untorn load that the compiler may neither repeat, merge nor
 * hoist out of a loop: every field the writer changes concurrently is read
 * through this where the value is used outside the seqlock's protection or
 * re-read in a loop (->seq).
 */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))

#define NSEC_PER_SEC		1000000000ULL
#define NSEC_PER_USEC		1000U

typedef _Bool vdso_bool;

#include <asm/vdso.h>

/*
 * The data page.  The linker script places this symbol VDSO_DATA_PAGES
 * pages below the image's first byte.  Hidden visibility tells the
 * compiler the symbol is defined in this very module and cannot be
 * preempted, so -fPIC code reaches it with a RIP/PC-relative address
 * instead of a GOT load, and the link leaves no dynamic relocation: the
 * image works at whatever address it is mapped, as long as the data page
 * sits right below it.
 *
 * Deliberately not const, although the vDSO only reads it (through
 * pointers to const).  Modifying an object declared const is undefined
 * behaviour, so the compiler may assume it never changes and move its
 * loads out of the seqlock loop, across the barriers' "memory" clobbers.
 * clang 21 did exactly that: it loaded cycle_last, mult and shift once
 * before the loop and the seconds after the final ->seq check.  Linux
 * declares its data pages without const, too.
 */
extern struct vdso_time_data vdso_time_data __attribute__((visibility("hidden")));

/*
 * The address of the data page, for the generic code.  Normally just
 * &vdso_time_data, which the compiler reaches PC-relatively.  i386 has no
 * PC-relative data addressing: -fPIC code there computes the GOT's address
 * and uses @GOTOFF, and merely naming _GLOBAL_OFFSET_TABLE_ makes the
 * linker emit a (writable) .got.plt.  Such an architecture defines
 * __arch_get_vdso_data in its <asm/vdso.h> to compute the address itself.
 */
#ifndef __arch_get_vdso_data
static __always_inline const struct vdso_time_data *__arch_get_vdso_data(void)
{
	return &vdso_time_data;
}
#endif

/*
 * Sequence-lock read side.  The writer makes ->seq odd, updates, then makes
 * it even again (see datapage.h).  A reader that sees an odd count waits
 * for the update to finish; one that sees the count change while it read
 * the fields retries.
 *
 * smp_rmb() after the first load of ->seq keeps the data loads after it,
 * and smp_rmb() before the second load keeps them before it; on TSO
 * architectures both are compiler barriers only.
 */
static __always_inline vdso_u32 vdso_read_begin(const struct vdso_clock *vc)
{
	vdso_u32 seq;

	while (unlikely((seq = READ_ONCE(vc->seq)) & 1))
		cpu_relax();

	smp_rmb();
	return seq;
}

static __always_inline vdso_bool vdso_read_retry(const struct vdso_clock *vc, vdso_u32 start)
{
	vdso_u32 seq;

	smp_rmb();
	seq = READ_ONCE(vc->seq);
	return seq != start;
}

/*
 * The page is valid only once the kernel has filled it (magic), and its
 * clocks only while their clock source is usable (clock_mode, checked by
 * the callers).  The time functions test both inside the seqlock, so they
 * are ordered with the fields read next, provided the writer stores magic
 * inside or after its first complete seqlock update.  A racy read can only
 * send the caller to the system call, which is always correct.
 */
static __always_inline vdso_bool vdso_page_filled(const struct vdso_time_data *vd)
{
	return READ_ONCE(vd->magic) == VDSO_DATA_MAGIC;
}

#ifndef __arch_mul_u64_u32_add_u64_shr
/*
 * ((a * mul) + b) >> shift, exact, without a 128-bit type: the product is
 * p1 * 2^32 + p0 with p0 = lo32(a) * mul and p1 = hi32(a) * mul, both of
 * which fit in 64 bits.  Architectures with a widening multiply provide
 * their own.
 */
static __always_inline vdso_u64 __arch_mul_u64_u32_add_u64_shr(vdso_u64 a, vdso_u32 mul,
								vdso_u64 b, vdso_u32 shift)
{
	vdso_u64 p0 = (vdso_u64)(vdso_u32)a * mul;
	vdso_u64 p1 = (a >> 32) * mul;
	vdso_u64 lo, hi;
	vdso_u32 c0, c1;

	c0 = __builtin_add_overflow(p0, p1 << 32, &lo);
	c1 = __builtin_add_overflow(lo, b, &lo);
	hi = (p1 >> 32) + c0 + c1;

	if (!shift)
		return lo;
	return (lo >> shift) | (hi << (64 - shift));
}
#endif

/*
 * The rare case of the hres conversion: the counter moved further than
 * max_cycles since the last update.  Either it went backwards (a CPU whose
 * TSC lags the one that took cycle_last: the masked difference is then
 * "negative", i.e. has the counter's top bit set) and the clock must not go
 * backwards with it, so the delta counts as 0; or the writer has not
 * updated for a long time and delta * mult no longer fits in 64 bits, so
 * the product needs a wider multiply.  max_cycles is always far below half
 * the counter range, so the top-bit test is exact.
 *
 * Inline, behind unlikely(): the compiler already places it off the
 * fall-through path.  A noinline function would be worse: a call inside
 * the seqlock loop forces the loop's live values into callee-saved
 * registers, which cost the x86-64 fast path four more pushes and pops
 * (clang 21).
 */
static __always_inline vdso_u64 vdso_calc_ns_slow(const struct vdso_clock *vc, vdso_u64 delta,
						  vdso_u64 base)
{
	vdso_u64 mask = vc->mask;

	if (delta & ~(mask >> 1))
		return base >> vc->shift;

	return __arch_mul_u64_u32_add_u64_shr(delta, vc->mult, base, vc->shift);
}

/*
 * Nanoseconds (still to be split into seconds) since basetime's second,
 * from a counter value read under the seqlock.  base is the basetime
 * nanoseconds, stored shifted left by ->shift.
 */
static __always_inline vdso_u64 vdso_calc_ns(const struct vdso_clock *vc, vdso_u64 cycles,
					     vdso_u64 base)
{
	vdso_u64 delta = (cycles - vc->cycle_last) & vc->mask;

	if (unlikely(delta > vc->max_cycles))
		return vdso_calc_ns_slow(vc, delta, base);

	return (delta * vc->mult + base) >> vc->shift;
}

/*
 * Whole seconds in a nanosecond count that may be far above a second.
 *
 * A 64-bit target divides by the constant with a multiply, inline: a call
 * would cost the fast path callee-saved register spills, as above.  A
 * 32-bit one would call libgcc's __udivdi3, which the image cannot link,
 * so it uses a bounded shift-and-subtract, out of line (35 steps, where a
 * repeated subtraction of NSEC_PER_SEC would take one per elapsed second).
 */
#if __SIZEOF_POINTER__ >= 8
static __always_inline vdso_u64 vdso_ns_to_sec_slow(vdso_u64 n)
{
	return n / NSEC_PER_SEC;
}
#else
/*
 * An architecture where an out-of-line call costs more than the loop (i386:
 * clang loads EBX with the GOT's address before every call in -fPIC code,
 * which drags in _GLOBAL_OFFSET_TABLE_) defines VDSO_SLOWPATH_INLINE as
 * __always_inline.
 */
#ifndef VDSO_SLOWPATH_INLINE
#define VDSO_SLOWPATH_INLINE	__noinline
#endif
static VDSO_SLOWPATH_INLINE vdso_u64 vdso_ns_to_sec_slow(vdso_u64 n)
{
	/*
	 * q < 2^64 / NSEC_PER_SEC < 2^35, so NSEC_PER_SEC << 34 cannot
	 * overflow.  Divisor and quotient bit move by one each step: shifts by
	 * a constant, which 32-bit targets expand inline (a variable 64-bit
	 * shift may become a libgcc call, __lshrdi3/__ashldi3, in code the
	 * compiler optimises for size).
	 */
	vdso_u64 d = NSEC_PER_SEC << 34, bit = 1ULL << 34, q = 0;

	while (bit) {
		if (n >= d) {
			n -= d;
			q |= bit;
		}
		d >>= 1;
		bit >>= 1;
	}
	return q;
}
#endif

/*
 * Split *ns into whole seconds (returned) and the remainder (left in *ns).
 *
 * The writer updates basetime at least every tick, so the nanoseconds the
 * hres conversion returns are below two seconds: one compare, at most one
 * subtraction, no division (the idea of Linux's __iter_div_u64_rem(), with
 * its worst case bounded).  A page nobody has updated for a while (a host
 * that fills it once, a suspended machine) takes the division instead of
 * looping once per elapsed second.
 */
static __always_inline vdso_u64 vdso_split_ns(vdso_u64 *ns)
{
	vdso_u64 n = *ns, sec;

	if (likely(n < NSEC_PER_SEC))
		return 0;
	if (likely(n < 2 * NSEC_PER_SEC)) {
		*ns = n - NSEC_PER_SEC;
		return 1;
	}
	sec = vdso_ns_to_sec_slow(n);
	*ns = n - sec * NSEC_PER_SEC;
	return sec;
}

#endif /* VDSOGEN_VDSO_HELPERS_H */
