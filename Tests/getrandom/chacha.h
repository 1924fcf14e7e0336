/* SPDX-License-Identifier: MIT */
/*
 * The getrandom test's ChaCha20 part (included by test.c, after tap.h): a
 * reference ChaCha20, and checks of the image's vdso_chacha20_blocks (hidden;
 * its offset is in the emitted header) -- the assembly one on x86-64 (SSE2)
 * and arm64 (NEON), or lib/getrandom.c's portable C in an image built with
 * -DVDSO_CHACHA20_PORTABLE:
 *   - RFC 8439 2.3.2 (block function) and 2.4.2 (encryption, as one call of
 *     two blocks);
 *   - 0 to 14 blocks at once against the reference, with a counter that
 *     carries from word 12 into word 13 and a nonce; the counter advanced by
 *     the block count, nothing written past the last block;
 *   - dst overlapping the key, as the state's refill does;
 *   - vector registers after the call (and after a whole getrandom call):
 *     each is zero or what the caller left in it, so no key or keystream
 *     word stays behind; on arm64 d8-d15, callee-saved, keep their values.
 */
#ifndef VDSOGEN_TESTS_GETRANDOM_CHACHA_H
#define VDSOGEN_TESTS_GETRANDOM_CHACHA_H

#include <stdint.h>
#include <string.h>

/* void vdso_chacha20_blocks(u8 *dst, const u32 key[8], u32 words[4], size_t nblocks) */
typedef void (*blocks_fn)(uint8_t *dst, const uint32_t key[8], uint32_t words[4], size_t nblocks);

static blocks_fn vblocks;

/* Which code path the rng page selects while the checks run, for their descriptions. */
static const char *chacha_path = "";

/* desc, then " [path]": the checks run once per path. */
static const char *cd(const char *desc)
{
	static char buf[4][320];
	static int next;
	char *b = buf[next++ % 4];
	snprintf(b, sizeof buf[0], "%s [%s]", desc, chacha_path);
	return b;
}

/* ---- reference ChaCha20 ---- */

static uint32_t rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }
#define QR(a, b, c, d) (a += b, d = rotl(d ^ a, 16), c += d, b = rotl(b ^ c, 12), \
			a += b, d = rotl(d ^ a, 8), c += d, b = rotl(b ^ c, 7))

static void ref_block(const uint32_t in[16], uint8_t out[64])
{
	uint32_t x[16];
	memcpy(x, in, sizeof x);
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]), QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]), QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]), QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]), QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) {
		uint32_t v = x[i] + in[i];
		out[4 * i] = (uint8_t)v, out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16), out[4 * i + 3] = (uint8_t)(v >> 24);
	}
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* RFC 8439 state: constants, key bytes, 32-bit counter, 96-bit nonce bytes. */
static void rfc_state(uint32_t in[16], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12])
{
	in[0] = 0x61707865, in[1] = 0x3320646e, in[2] = 0x79622d32, in[3] = 0x6b206574;
	for (int i = 0; i < 8; i++)
		in[4 + i] = le32(key + 4 * i);
	in[12] = counter;
	for (int i = 0; i < 3; i++)
		in[13 + i] = le32(nonce + 4 * i);
}

/* nblocks of keystream for `key`, words 12-15 from `words` (64-bit counter in 12-13, advanced). */
static void ref_keystream(uint8_t *dst, const uint32_t key[8], uint32_t words[4], size_t nblocks)
{
	uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	uint64_t ctr = words[0] | (uint64_t)words[1] << 32;
	memcpy(in + 4, key, 32);
	in[14] = words[2], in[15] = words[3];
	for (; nblocks--; dst += 64, ctr++) {
		in[12] = (uint32_t)ctr, in[13] = (uint32_t)(ctr >> 32);
		ref_block(in, dst);
	}
	words[0] = (uint32_t)ctr, words[1] = (uint32_t)(ctr >> 32);
}

/* getrandom's keystream: counter from *ctr (advanced), nonce 0. */
static void ref_blocks(uint8_t *dst, const uint32_t key[8], uint64_t *ctr, size_t nblocks)
{
	uint32_t w[4] = { (uint32_t)*ctr, (uint32_t)(*ctr >> 32), 0, 0 };
	ref_keystream(dst, key, w, nblocks);
	*ctr = w[0] | (uint64_t)w[1] << 32;
}

/* ---- vector registers after a call ---- */

/*
 * call_dumping_vregs(fn, a, b, c, d, e) calls fn(a, b, c, d, e) with every
 * vector register filled with VREG_FILL and stores the registers, as fn left
 * them, into vregs[].  Naked: no compiler-generated code runs between the
 * call and the stores.
 */
#if defined(__x86_64__)
#define VREGS		16
#define VREG_FILL	0xff
#define VREG_CALLEE_SAVED(i) 0
/* Where the CPU has AVX, the whole of %ymm0-15: the AVX2 path leaves words in the upper halves too. */
#define X86_CALL_DUMPING(name, fill, store)									\
	__attribute__((naked)) static long name(void *fn, long a, long b, long c, long d, long e)		\
	{													\
		__asm__("push %rbx\n\t"									\
			"mov %rdi, %rax\n\tmov %rsi, %rdi\n\tmov %rdx, %rsi\n\tmov %rcx, %rdx\n\t"		\
			"mov %r8, %rcx\n\tmov %r9, %r8\n\t"							\
			".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t" fill "\n\t.endr\n\t"		\
			"call *%rax\n\t"									\
			"lea vregs(%rip), %rbx\n\t"								\
			".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t" store "\n\t.endr\n\t"	\
			"pop %rbx\n\t"									\
			"ret");											\
	}
X86_CALL_DUMPING(call_dumping_xmm, "pcmpeqd %xmm\\r, %xmm\\r", "movdqu %xmm\\r, 32*\\r(%rbx)")
X86_CALL_DUMPING(call_dumping_ymm, "vpcmpeqd %ymm\\r, %ymm\\r, %ymm\\r", "vmovdqu %ymm\\r, 32*\\r(%rbx)")
static int vreg_bytes = 16;
static long call_dumping_vregs(void *fn, long a, long b, long c, long d, long e)
{
	/* AVX2 implies AVX, and vdso_rng_cpu_features checks that the kernel saves YMM state. */
	vreg_bytes = vdso_rng_cpu_features() & VDSO_RNG_CPU_AVX2 ? 32 : 16;
	return vreg_bytes == 32 ? call_dumping_ymm(fn, a, b, c, d, e) : call_dumping_xmm(fn, a, b, c, d, e);
}
#elif defined(__aarch64__)
#define VREGS		32
#define VREG_FILL	0xa5
/* AAPCS64: the low 64 bits of v8-v15 (d8-d15) survive a call. */
#define VREG_CALLEE_SAVED(i) ((i) >= 8 && (i) <= 15)
static const int vreg_bytes = 16;
__attribute__((naked)) static long call_dumping_vregs(void *fn, long a, long b, long c, long d, long e)
{
	__asm__("stp x29, x30, [sp, #-96]!\n\tmov x29, sp\n\t"
		"stp d8, d9, [sp, #16]\n\tstp d10, d11, [sp, #32]\n\tstp d12, d13, [sp, #48]\n\tstp d14, d15, [sp, #64]\n\t"
		"str x19, [sp, #80]\n\t"
		"mov x9, x0\n\tmov x0, x1\n\tmov x1, x2\n\tmov x2, x3\n\tmov x3, x4\n\tmov x4, x5\n\t"
		".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n\t"
		"movi v\\r\\().16b, #0xa5\n\t.endr\n\t"
		"blr x9\n\t"
		"adrp x19, vregs\n\tadd x19, x19, :lo12:vregs\n\t"
		"st1 {v0.16b-v3.16b}, [x19], #64\n\tst1 {v4.16b-v7.16b}, [x19], #64\n\t"
		"st1 {v8.16b-v11.16b}, [x19], #64\n\tst1 {v12.16b-v15.16b}, [x19], #64\n\t"
		"st1 {v16.16b-v19.16b}, [x19], #64\n\tst1 {v20.16b-v23.16b}, [x19], #64\n\t"
		"st1 {v24.16b-v27.16b}, [x19], #64\n\tst1 {v28.16b-v31.16b}, [x19], #64\n\t"
		"ldr x19, [sp, #80]\n\t"
		"ldp d8, d9, [sp, #16]\n\tldp d10, d11, [sp, #32]\n\tldp d12, d13, [sp, #48]\n\tldp d14, d15, [sp, #64]\n\t"
		"ldp x29, x30, [sp], #96\n\tret");
}
#endif

/* x86-64: 32 bytes a register (xmm or ymm); arm64: 16, as st1 stores them. */
#if defined(__x86_64__)
uint8_t vregs[32][32] __attribute__((used, visibility("hidden")));
#else
uint8_t vregs[32][16] __attribute__((used, visibility("hidden")));
#endif

/*
 * "" if every 16-byte part of every vector register is zero or VREG_FILL (a
 * ymm register's halves separately: SSE code leaves the upper one alone), and
 * callee-saved ones (arm64 d8-d15) still hold VREG_FILL; else which is not.
 */
static const char *vregs_clean(void)
{
	static char bad[64];
	for (int i = 0; i < VREGS; i++) {
		for (int part = 0; part < vreg_bytes; part += 16) {
			const uint8_t *p = &vregs[i][part];
			int zero = 1, fill = 1, low_fill = 1;
			for (int j = 0; j < 16; j++) {
				zero &= p[j] == 0;
				fill &= p[j] == VREG_FILL;
				low_fill &= j >= 8 || p[j] == VREG_FILL;
			}
			if (VREG_CALLEE_SAVED(i) ? !low_fill : !(zero || fill)) {
				snprintf(bad, sizeof bad, "register %d bytes %d-%d: %02x %02x %02x %02x ...", i, part,
					 part + 15, p[0], p[1], p[2], p[3]);
				return bad;
			}
		}
	}
	return "";
}

/* ---- checks ---- */

static void check_rfc8439(void)
{
	static const uint8_t nonce1[12] = { 0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
	static const uint8_t expect1[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
		0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
		0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
		0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
	};
	static const uint8_t nonce2[12] = { 0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
	static const char plain[] = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
				    "for the future, sunscreen would be it.";
	static const uint8_t cipher[114] = {
		0x6e, 0x2e, 0x35, 0x9a, 0x25, 0x68, 0xf9, 0x80, 0x41, 0xba, 0x07, 0x28, 0xdd, 0x0d, 0x69, 0x81,
		0xe9, 0x7e, 0x7a, 0xec, 0x1d, 0x43, 0x60, 0xc2, 0x0a, 0x27, 0xaf, 0xcc, 0xfd, 0x9f, 0xae, 0x0b,
		0xf9, 0x1b, 0x65, 0xc5, 0x52, 0x47, 0x33, 0xab, 0x8f, 0x59, 0x3d, 0xab, 0xcd, 0x62, 0xb3, 0x57,
		0x16, 0x39, 0xd6, 0x24, 0xe6, 0x51, 0x52, 0xab, 0x8f, 0x53, 0x0c, 0x35, 0x9f, 0x08, 0x61, 0xd8,
		0x07, 0xca, 0x0d, 0xbf, 0x50, 0x0d, 0x6a, 0x61, 0x56, 0xa3, 0x8e, 0x08, 0x8a, 0x22, 0xb6, 0x5e,
		0x52, 0xbc, 0x51, 0x4d, 0x16, 0xcc, 0xf8, 0x06, 0x81, 0x8c, 0xe9, 0x1a, 0xb7, 0x79, 0x37, 0x36,
		0x5a, 0xf9, 0x0b, 0xbf, 0x74, 0xa3, 0x5b, 0xe6, 0xb4, 0x0b, 0x8e, 0xed, 0xf2, 0x78, 0x5e, 0x42,
		0x87, 0x4d,
	};
	uint8_t key[32], out[128], ref[64];
	uint32_t in[16], w[4];
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	rfc_state(in, key, 1, nonce1);
	memset(out, 0, sizeof out);
	memcpy(w, in + 12, sizeof w);
	vblocks(out, in + 4, w, 1);
	ref_block(in, ref);
	report(memcmp(out, expect1, 64) == 0 && w[0] == 2 && w[1] == in[13] && w[2] == in[14] && w[3] == in[15],
	       cd("RFC 8439 2.3.2: the image's vdso_chacha20_blocks gives the test vector and advances the counter"),
	       "first bytes %02x %02x %02x %02x, counter %u", out[0], out[1], out[2], out[3], w[0]);
	report(memcmp(ref, expect1, 64) == 0, "RFC 8439 2.3.2: the test's reference block function too", "differs");

	rfc_state(in, key, 1, nonce2);
	memcpy(w, in + 12, sizeof w);
	vblocks(out, in + 4, w, 2);
	uint8_t ct[114];
	for (int i = 0; i < 114; i++)
		ct[i] = (uint8_t)plain[i] ^ out[i];
	report(sizeof plain - 1 == 114 && memcmp(ct, cipher, 114) == 0 && w[0] == 3,
	       cd("RFC 8439 2.4.2: the sunscreen plaintext encrypts to the RFC's ciphertext (counters 1, 2 in one call)"),
	       "differs, counter %u", w[0]);
}

static void check_blocks(void)
{
	uint32_t key[8];
	for (int i = 0; i < 8; i++)
		key[i] = 0x9e3779b9u * (uint32_t)(i + 1);
	/* Counter 2^32 - 3: the 64-bit counter carries from word 12 into 13 within the call. */
	const uint32_t start[4] = { 0xfffffffdu, 7, 0x01234567, 0x89abcdef };
	int bad = -1;
	uint8_t got[15 * 64], want[15 * 64];
	for (int n = 0; n <= 14 && bad < 0; n++) {
		uint32_t w[4], wr[4];
		memcpy(w, start, sizeof w), memcpy(wr, start, sizeof wr);
		memset(got, 0x5a, sizeof got), memset(want, 0x5a, sizeof want);
		vblocks(got, key, w, (size_t)n);
		ref_keystream(want, key, wr, (size_t)n);
		if (memcmp(got, want, sizeof got) != 0 || memcmp(w, wr, sizeof w) != 0)
			bad = n;
	}
	report(bad < 0, cd("0 to 14 blocks at once equal the reference (counter carrying into word 13, a nonce), "
			   "the counter advanced by the count, nothing written past the last block"),
	       "differs at %d blocks", bad);

	/* The refill: 128 bytes generated over the key they are generated with (key at byte 96). */
	uint8_t bk[128], ref[128];
	uint32_t kcopy[8], w[4] = { 5, 0, 0, 0 }, wr[4] = { 5, 0, 0, 0 };
	for (int i = 0; i < 128; i++)
		bk[i] = (uint8_t)(i * 37 + 11);
	memcpy(kcopy, bk + 96, 32);
	vblocks(bk, (const uint32_t *)(bk + 96), w, 2);
	ref_keystream(ref, kcopy, wr, 2);
	report(memcmp(bk, ref, 128) == 0, cd("two blocks written over the key they are made with (the state's refill)"),
	       "differs");
}

static void check_vregs_blocks(void)
{
	uint32_t key[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, w[4] = { 0 };
	uint8_t out[7 * 64];
	memset(vregs, 0, sizeof vregs);
	call_dumping_vregs((void *)vblocks, (long)out, (long)key, (long)w, 7, 0);
	const char *bad = vregs_clean();
	report(!*bad, cd("vdso_chacha20_blocks leaves every vector register zero or as the caller had it "
			 "(no key or keystream words; arm64: d8-d15 preserved)"), "%s", bad);
}

static void check_chacha(void)
{
	check_rfc8439();
	check_blocks();
	check_vregs_blocks();
}

/* A whole getrandom call (4096 bytes: blocks into the buffer and the refill) on a keyed state. */
static void check_vregs_getrandom(long (*fn)(void *, size_t, unsigned, void *, size_t), void *st, size_t st_len)
{
	static uint8_t buf[4096];
	memset(vregs, 0, sizeof vregs);
	long r = call_dumping_vregs((void *)fn, (long)buf, sizeof buf, 0, (long)st, (long)st_len);
	const char *bad = vregs_clean();
	report(r == (long)sizeof buf && !*bad, cd("a 4096-byte getrandom call leaves every vector register zero or "
						  "as the caller had it (arm64: d8-d15 preserved)"), "r %ld %s", r, bad);
}

#endif /* VDSOGEN_TESTS_GETRANDOM_CHACHA_H */
