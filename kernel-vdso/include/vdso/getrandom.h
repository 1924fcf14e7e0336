/* SPDX-License-Identifier: MIT */
/*
 * The vDSO getrandom ABI, as Linux defines it (6.11+), so that a C library
 * written for Linux's vDSO getrandom uses this one unchanged:
 *
 *   ssize_t __vdso_getrandom(void *buffer, size_t len, unsigned int flags,
 *                            void *opaque_state, size_t opaque_len);
 *
 * 1. Ask for the state's parameters once:
 *	struct vdso_getrandom_params p;
 *	__vdso_getrandom(NULL, 0, 0, &p, ~0UL) == 0
 *    gives the state size and how to allocate states: mmap(NULL, n,
 *    p.mmap_prot, p.mmap_flags, -1, 0) -- PROT_READ|PROT_WRITE,
 *    MAP_DROPPABLE|MAP_ANONYMOUS, i.e. memory the kernel wipes in a forked
 *    child and may zero under memory pressure.  No state may straddle a page.
 * 2. Give each thread its own state (zeroed, as mmap returns it) and call
 *	__vdso_getrandom(buf, len, flags, state, p.size_of_opaque_state)
 *    in place of getrandom(buf, len, flags).  The result is getrandom's:
 *    a byte count, or -errno.
 *
 * The state is opaque to callers; its layout is here for the vDSO and its
 * tests.  This header is freestanding (no libc).
 */
#ifndef VDSOGEN_VDSO_GETRANDOM_H
#define VDSOGEN_VDSO_GETRANDOM_H

#include <vdso/datapage.h>

/* getrandom(2) flags (uapi/linux/random.h). */
#define VDSO_GRND_NONBLOCK	0x0001
#define VDSO_GRND_RANDOM	0x0002
#define VDSO_GRND_INSECURE	0x0004

/* What the parameter query tells callers to pass to mmap (uapi/asm-generic/mman*.h). */
#define VDSO_PROT_READ		0x1
#define VDSO_PROT_WRITE		0x2
#define VDSO_MAP_ANONYMOUS	0x20
#define VDSO_MAP_DROPPABLE	0x08	/* Linux 6.11+: zeroed on fork and under memory pressure */

/* The parameter query: opaque_len == VDSO_GETRANDOM_PARAMS_QUERY, buffer NULL, len 0, flags 0. */
#define VDSO_GETRANDOM_PARAMS_QUERY	(~0UL)

/* Linux's struct vgetrandom_opaque_params. */
struct vdso_getrandom_params {
	vdso_u32 size_of_opaque_state;
	vdso_u32 mmap_prot;
	vdso_u32 mmap_flags;
	vdso_u32 reserved[13];
};
_Static_assert(sizeof(struct vdso_getrandom_params) == 64, "vdso_getrandom_params layout");

#define VDSO_CHACHA_KEY_WORDS	8
#define VDSO_CHACHA_BLOCK	64

/*
 * The per-thread state.
 *
 * key:		the ChaCha20 key the next output is generated with.  It is used
 *		for one call only: every call that generates ends by overwriting
 *		it with fresh keystream ("fast key erasure"), so a later
 *		compromise of the state reveals nothing about earlier output.
 * batch:	keystream left over from earlier calls, served first.  Bytes
 *		are zeroed as they are handed out; batch[pos..] are unused.
 *		batch and key are generated together, two ChaCha20 blocks
 *		(batch_key): 96 bytes of batch, 32 of next key.
 * generation:	the rng page's generation the key was taken at; when the two
 *		differ the key comes fresh from the getrandom system call.  A
 *		zeroed state (fork, memory pressure) has generation 0, which
 *		the page never holds.
 * pos:		next unused byte of batch (sizeof batch = empty).
 * in_use:	set while a call works on the state, so that a signal handler
 *		interrupting it with the same state takes the system call
 *		instead of handing out the same bytes twice.
 */
struct vdso_getrandom_state {
	union {
		struct {
			vdso_u8 batch[VDSO_CHACHA_BLOCK * 3 / 2];
			vdso_u32 key[VDSO_CHACHA_KEY_WORDS];
		};
		vdso_u8 batch_key[VDSO_CHACHA_BLOCK * 2];
	};
	vdso_u64 generation;
	vdso_u8 pos;
	vdso_u8 in_use;
};
_Static_assert(sizeof(((struct vdso_getrandom_state *)0)->batch_key) % VDSO_CHACHA_BLOCK == 0,
	       "batch and key are whole ChaCha20 blocks");
_Static_assert(__builtin_offsetof(struct vdso_getrandom_state, key) == VDSO_CHACHA_BLOCK * 3 / 2,
	       "the key follows the batch");
_Static_assert(sizeof(struct vdso_getrandom_state) == 144, "vdso_getrandom_state layout");

#endif /* VDSOGEN_VDSO_GETRANDOM_H */
