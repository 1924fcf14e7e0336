/* A vDSO carrying a 1 MiB read-only table: the input of the emit benchmark. */
#define N (1 << 20)
#define R4(x) x, x + 1, x + 2, x + 3
#define R16(x) R4(x), R4(x + 4), R4(x + 8), R4(x + 12)
#define R64(x) R16(x), R16(x + 16), R16(x + 32), R16(x + 48)
#define R256(x) R64(x), R64(x + 64), R64(x + 128), R64(x + 192)
static const unsigned char table[N] __attribute__((aligned(4096))) = { R256(0), R256(0), R256(0), R256(0) };

int __vdso_peek(unsigned long i)
{
	return table[i & (N - 1)];
}

/* The bare name too, as x86-64 Linux exports every vDSO function (the time-pairs rule). */
int peek(unsigned long i) __attribute__((weak, alias("__vdso_peek")));
