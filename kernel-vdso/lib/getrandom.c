// SPDX-License-Identifier: MIT
/*
 * Generic vDSO getrandom(): random bytes from a per-thread ChaCha20 state in
 * user memory, keyed from the getrandom system call and re-keyed whenever
 * the kernel's RNG says so (the rng page's generation), with Linux's ABI
 * (see include/vdso/getrandom.h for the calling convention and the state).
 *
 * Not a translation unit of its own: an architecture's entry file includes
 * it and wraps __cvdso_getrandom() in its exported __vdso_getrandom.  The
 * architecture's <asm/vdso.h> provides getrandom_syscall(buf, len, flags)
 * (result or -errno) and may define __arch_get_vdso_rng_data.
 *
 * The generator is "fast key erasure" (the construction Linux's kernel and
 * vDSO RNGs use): each call that needs fresh keystream produces it with the
 * current key, from block counter 0 (the key is used by this call only),
 * nonce 0, and ends by generating two more blocks whose first 96 bytes become
 * the batch served to later small requests and whose last 32 become the next
 * key, overwriting the one just used.  Bytes handed out of the batch are
 * zeroed in the state as they are copied.  What stays in the state therefore
 * says nothing about output already returned.
 *
 * Whenever the vDSO cannot produce bytes exactly as the system call would,
 * it makes the system call with the caller's own arguments, so the result
 * (count, blocking behaviour, -EINVAL, -EAGAIN, -EFAULT) is the kernel's:
 * no state, a state of the wrong size, flags it does not know, the
 * GRND_RANDOM|GRND_INSECURE combination the kernel rejects, a kernel RNG
 * that is not ready, a state already in use (a signal handler interrupted a
 * call on the same state), a failed re-key, and a generation that keeps
 * changing under it.
 *
 * ChaCha20 is the architecture's assembly where it has one (x86-64: SSE2,
 * arm64: NEON, several blocks at once, no stack, vector registers wiped on
 * return), else the portable C below.  Unlike assembly, compiled C may
 * spill key words to the stack; the C wipes its own working copies, but a
 * register spill slot it cannot name may keep one until the stack is
 * reused.  That matters only to a forked child reading its parent's stale
 * stack, which sees no more than the process itself could.
 */
#include <vdso/helpers.h>
#include <vdso/getrandom.h>

#ifndef WRITE_ONCE
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#endif

typedef __SIZE_TYPE__ vdso_size_t;
typedef __PTRDIFF_TYPE__ vdso_ssize_t;

#define VDSO_EFAULT		14
/* Linux's MAX_RW_COUNT: the most one read-like call transfers, INT_MAX rounded down to a page. */
#define VDSO_MAX_RW_COUNT	(0x7fffffffUL & ~(vdso_size_t)(VDSO_PAGE_SIZE - 1))

/*
 * The rng page, VDSO_RNG_PAGE_OFFSET pages below the image (the linker
 * script defines the symbol).  Not const, for the reason helpers.h gives for
 * vdso_time_data.
 */
extern struct vdso_rng_data vdso_rng_data __attribute__((visibility("hidden")));

#ifndef __arch_get_vdso_rng_data
static __always_inline const struct vdso_rng_data *__arch_get_vdso_rng_data(void)
{
	return &vdso_rng_data;
}
#endif

/* ---- ChaCha20 (RFC 8439) ---- */

#define CHACHA_ROTL(v, n)	(((v) << (n)) | ((v) >> (32 - (n))))
#define CHACHA_QR(a, b, c, d) do {					\
		a += b; d ^= a; d = CHACHA_ROTL(d, 16);			\
		c += d; b ^= c; b = CHACHA_ROTL(b, 12);			\
		a += b; d ^= a; d = CHACHA_ROTL(d, 8);			\
		c += d; b ^= c; b = CHACHA_ROTL(b, 7);			\
	} while (0)

/*
 * Stores that the compiler must perform although nothing reads them again:
 * erasing key material.  (A plain loop of stores to a dead local is removed
 * as dead code; memset is not available in the image.)
 */
static __always_inline void vdso_wipe32(vdso_u32 *p, unsigned n)
{
	volatile vdso_u32 *q = p;

	while (n--)
		*q++ = 0;
}

/*
 * nblocks blocks of ChaCha20 keystream into dst: input words 0-3 the
 * constants, 4-11 `key`, 12-15 `words` -- a 64-bit block counter (12-13),
 * advanced by nblocks on return, and a 64-bit nonce (14-15; getrandom's is
 * 0).  The key and counter are read before dst is written, so dst may
 * overlap the key: the state's batch_key refill overwrites the key it is
 * generated with.  Hidden, so not an export, but the emitted header carries
 * its offset (extra-symbols) for tests that check it against RFC 8439's
 * vectors inside the image.
 *
 * x86-64 and arm64 have it in assembly (arch/<arch>/vgetrandom-chacha.S,
 * SSE2 and NEON, several blocks at once; their <asm/vdso.h> defines
 * VDSO_ARCH_CHACHA20).  Building with -DVDSO_CHACHA20_PORTABLE selects the
 * portable C below there too (the tests check both).
 */
void vdso_chacha20_blocks(vdso_u8 *dst, const vdso_u32 key[VDSO_CHACHA_KEY_WORDS], vdso_u32 words[4],
			  vdso_size_t nblocks) __attribute__((visibility("hidden")));

#if !defined(VDSO_ARCH_CHACHA20) || defined(VDSO_CHACHA20_PORTABLE)

/* One block: out = LE(rounds(in) + in). */
static __always_inline void vdso_chacha20_block(const vdso_u32 in[16], vdso_u8 out[VDSO_CHACHA_BLOCK])
{
	vdso_u32 x[16];
	int i;

	for (i = 0; i < 16; i++)
		x[i] = in[i];
	for (i = 0; i < 10; i++) {
		/* A column round, then a diagonal round. */
		CHACHA_QR(x[0], x[4], x[8], x[12]);
		CHACHA_QR(x[1], x[5], x[9], x[13]);
		CHACHA_QR(x[2], x[6], x[10], x[14]);
		CHACHA_QR(x[3], x[7], x[11], x[15]);
		CHACHA_QR(x[0], x[5], x[10], x[15]);
		CHACHA_QR(x[1], x[6], x[11], x[12]);
		CHACHA_QR(x[2], x[7], x[8], x[13]);
		CHACHA_QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++) {
		vdso_u32 v = x[i] + in[i];

		/* Little-endian whatever the CPU's byte order; the compiler merges the stores. */
		out[4 * i + 0] = (vdso_u8)v;
		out[4 * i + 1] = (vdso_u8)(v >> 8);
		out[4 * i + 2] = (vdso_u8)(v >> 16);
		out[4 * i + 3] = (vdso_u8)(v >> 24);
	}
	vdso_wipe32(x, 16);
}

void vdso_chacha20_blocks(vdso_u8 *dst, const vdso_u32 key[VDSO_CHACHA_KEY_WORDS], vdso_u32 words[4],
			  vdso_size_t nblocks)
{
	vdso_u32 in[16];
	vdso_u64 ctr = words[0] | (vdso_u64)words[1] << 32;
	int i;

	/* "expand 32-byte k" */
	in[0] = 0x61707865;
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < VDSO_CHACHA_KEY_WORDS; i++)
		in[4 + i] = key[i];
	in[14] = words[2];
	in[15] = words[3];
	words[0] = (vdso_u32)(ctr + nblocks);
	words[1] = (vdso_u32)((ctr + nblocks) >> 32);
	while (nblocks--) {
		in[12] = (vdso_u32)ctr;
		in[13] = (vdso_u32)(ctr >> 32);
		vdso_chacha20_block(in, dst);
		dst += VDSO_CHACHA_BLOCK;
		ctr++;
	}
	vdso_wipe32(in + 4, VDSO_CHACHA_KEY_WORDS);
}

#endif /* portable ChaCha20 */

/*
 * Copy n bytes and zero the source as it goes: served batch bytes do not
 * stay behind.  Eight bytes at a time while it can (__builtin_memcpy of a
 * constant size is a plain, possibly unaligned, load or store, never a call),
 * then bytes: a small request is mostly this copy.
 */
static __always_inline void vdso_move_and_zero(vdso_u8 *dst, vdso_u8 *src, vdso_size_t n)
{
	const vdso_u64 zero = 0;
	vdso_u64 v;

	for (; n >= sizeof(v); n -= sizeof(v), dst += sizeof(v), src += sizeof(v)) {
		__builtin_memcpy(&v, src, sizeof(v));
		__builtin_memcpy(dst, &v, sizeof(v));
		__builtin_memcpy(src, &zero, sizeof(v));
	}
	while (n--) {
		*dst++ = *src;
		*src++ = 0;
	}
}

/* ---- getrandom ---- */

static __always_inline vdso_ssize_t __cvdso_getrandom(void *buffer, vdso_size_t len, unsigned int flags,
						      void *opaque_state, vdso_size_t opaque_len)
{
	const struct vdso_rng_data *rng = __arch_get_vdso_rng_data();
	struct vdso_getrandom_state *st = opaque_state;
	vdso_size_t ret, left, n;
	vdso_u32 counter[4];	/* block counter (from 0) and nonce 0: no key material */
	vdso_u64 gen;
	vdso_u8 *out;
	vdso_bool retried = 0;

	/* The parameter query: what a state is and how to allocate one. */
	if (unlikely(opaque_len == VDSO_GETRANDOM_PARAMS_QUERY && !buffer && !len && !flags)) {
		struct vdso_getrandom_params *p = opaque_state;
		unsigned i;

		if (!p)
			return -VDSO_EFAULT;
		p->size_of_opaque_state = sizeof(*st);
		p->mmap_prot = VDSO_PROT_READ | VDSO_PROT_WRITE;
		p->mmap_flags = VDSO_MAP_DROPPABLE | VDSO_MAP_ANONYMOUS;
		for (i = 0; i < sizeof(p->reserved) / sizeof(p->reserved[0]); i++)
			p->reserved[i] = 0;
		return 0;
	}

	if (unlikely(!st))
		goto syscall;
	/*
	 * Droppable memory is zeroed page by page: a state across a page
	 * boundary could lose half of itself.  Linux refuses it the same way.
	 */
	if (unlikely(((unsigned long)st & (VDSO_PAGE_SIZE - 1)) + sizeof(*st) > VDSO_PAGE_SIZE))
		return -VDSO_EFAULT;
	/* Flags the vDSO does not serve, and the combination the kernel rejects (-EINVAL). */
	if (unlikely(flags & ~(unsigned)(VDSO_GRND_NONBLOCK | VDSO_GRND_RANDOM | VDSO_GRND_INSECURE)))
		goto syscall;
	if (unlikely((flags & (VDSO_GRND_RANDOM | VDSO_GRND_INSECURE)) == (VDSO_GRND_RANDOM | VDSO_GRND_INSECURE)))
		goto syscall;
	/* A state of another size (another vDSO's, a checkpoint restored elsewhere). */
	if (unlikely(opaque_len != sizeof(*st)))
		goto syscall;
	/*
	 * Before the kernel's RNG is ready, the flags decide between blocking,
	 * -EAGAIN and insecure bytes, and only the kernel knows.  Checked
	 * before len == 0, which may block or fail too then.
	 */
	if (unlikely(!READ_ONCE(rng->is_ready)))
		goto syscall;
	if (unlikely(!len))
		return 0;

	/*
	 * Reentrancy from a signal handler on this thread: the handler runs to
	 * completion before the interrupted call resumes, so a plain flag is
	 * enough.  The system call leaves the state alone.
	 */
	if (unlikely(READ_ONCE(st->in_use)))
		goto syscall;
	WRITE_ONCE(st->in_use, 1);
	barrier();

	ret = len < VDSO_MAX_RW_COUNT ? len : VDSO_MAX_RW_COUNT;

rekey_check:
	gen = READ_ONCE(rng->generation);
	if (unlikely(READ_ONCE(st->generation) != gen)) {
		/*
		 * Record the generation before fetching the key: a fork right
		 * after the system call would otherwise leave parent and child
		 * with the same key and the same, current, generation.  (The
		 * child's state is wiped anyway; this also covers a state that
		 * is not droppable.)
		 */
		WRITE_ONCE(st->generation, gen);
		/* The system call must not be reordered before the generation read. */
		smp_rmb();
		if (getrandom_syscall(st->key, sizeof(st->key), 0) != (long)sizeof(st->key)) {
			WRITE_ONCE(st->generation, 0);
			barrier();
			WRITE_ONCE(st->in_use, 0);
			goto syscall;
		}
		/* Keystream of the old key must not outlive the re-key. */
		for (n = st->pos; n < sizeof(st->batch); n++)
			st->batch[n] = 0;
		st->pos = sizeof(st->batch);
	}

	out = buffer;
	left = ret;
	counter[0] = counter[1] = counter[2] = counter[3] = 0;
	for (;;) {
		/* Leftover keystream first. */
		n = sizeof(st->batch) - st->pos;
		if (n > left)
			n = left;
		vdso_move_and_zero(out, st->batch + st->pos, n);
		st->pos += n;
		out += n;
		left -= n;
		if (!left)
			break;
		/* Whole blocks straight into the caller's buffer. */
		n = left / VDSO_CHACHA_BLOCK;
		if (n) {
			vdso_chacha20_blocks(out, st->key, counter, n);
			out += n * VDSO_CHACHA_BLOCK;
			left -= n * VDSO_CHACHA_BLOCK;
		}
		/* A new batch and, over the key just used, the next key. */
		vdso_chacha20_blocks(st->batch_key, st->key, counter, sizeof(st->batch_key) / VDSO_CHACHA_BLOCK);
		st->pos = 0;
	}

	barrier();
	/*
	 * The generation changed while we worked (a reseed), or the state was
	 * zeroed under us (fork, memory pressure: its generation is 0 now):
	 * the bytes may come from a key that must no longer be used.  Start
	 * over once; if it changes again, leave it to the kernel.
	 */
	if (unlikely(READ_ONCE(st->generation) != READ_ONCE(rng->generation))) {
		if (retried) {
			WRITE_ONCE(st->in_use, 0);
			goto syscall;
		}
		retried = 1;
		goto rekey_check;
	}
	barrier();
	WRITE_ONCE(st->in_use, 0);
	return (vdso_ssize_t)ret;

syscall:
	return getrandom_syscall(buffer, len, flags);
}
