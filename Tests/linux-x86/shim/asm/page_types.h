/* Shim (not Linux's header): PAGE_SIZE and __aligned() as x86 Linux defines them. */
#define PAGE_SIZE 4096
#define __aligned(x) __attribute__((aligned(x)))
