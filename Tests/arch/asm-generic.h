/* SPDX-License-Identifier: MIT */
/*
 * System call numbers of the asm-generic table (include/uapi/asm-generic/
 * unistd.h), which 64-bit architectures that came after it share: arm64 and
 * riscv64 here.  Their parts of the harness include this for what they call.
 */
#define NR_write		64
#define NR_exit_group		94
#define NR_clock_gettime	113
#define NR_clock_getres		114
#define NR_kill			129
#define NR_rt_sigaction		134
#define NR_rt_sigreturn		139
#define NR_getcpu		168
#define NR_gettimeofday		169
#define NR_getpid		172
#define NR_munmap		215
#define NR_mmap			222	/* 64-bit: offset in bytes */
#define NR_mprotect		226
