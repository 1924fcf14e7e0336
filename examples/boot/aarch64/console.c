// SPDX-License-Identifier: MIT
/*
 * The console (PL011 UART at 0x09000000 on -M virt), a small kprintf, the
 * way out of QEMU, and the C library routines the compiler may call.
 */
#include "kernel.h"

#include <stdarg.h>

#define UART_DR		0x000
#define UART_FR		0x018
#define UART_FR_TXFF	(1u << 5)	/* transmit FIFO full */
#define UART_CR		0x030
#define UART_CR_EN	((1u << 0) | (1u << 8))	/* UARTEN | TXE */

void console_init(void)
{
	/* QEMU's PL011 needs no baud rate; real hardware's firmware usually set it. */
	mmio_write32(UART_BASE + UART_CR, UART_CR_EN);
}

static void console_putc(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (u8)c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
}

static void put_num(u64 v, unsigned base, int width)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width)
		buf[n++] = '0';
	while (n)
		console_write(&buf[--n], 1);
}

/* %s %c %d %u %x, with an optional l (ignored: every number is printed as 64 bits) and a width. */
void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			console_write(p, 1);
			continue;
		}
		int width = 0, is_long = 0;
		while (p[1] >= '0' && p[1] <= '9')
			width = width * 10 + (*++p - '0');
		while (p[1] == 'l')
			is_long = 1, p++;
		switch (*++p) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;

			while (s[n])
				n++;
			console_write(s, n);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			console_write(&c, 1);
			break;
		}
		case 'd': {
			s64 v = is_long ? va_arg(ap, long) : va_arg(ap, int);

			if (v < 0)
				console_write("-", 1);
			put_num(v < 0 ? -(u64)v : (u64)v, 10, width);
			break;
		}
		case 'u':
			put_num(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, width);
			break;
		case 'x':
			put_num(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, width);
			break;
		case '\0':
			p--;
			break;
		default:
			console_write(p, 1);
		}
	}
	va_end(ap);
}

/*
 * Leaving QEMU.  Semihosting (-semihosting) first: SYS_EXIT_EXTENDED with
 * ADP_Stopped_ApplicationExit makes QEMU exit with the program's status.
 * Without -semihosting, HLT #0xF000 is an undefined instruction: the
 * exception comes back here (bad_exception calls kernel_exit again), and
 * the second time PSCI SYSTEM_OFF powers the machine down -- the verdict
 * is then only in the log.  PSCI's conduit is HVC when QEMU emulates no
 * EL2 (we were entered at EL1), SMC when it does.
 */
#define SYS_EXIT_EXTENDED		0x20
#define ADP_STOPPED_APPLICATION_EXIT	0x20026
#define PSCI_SYSTEM_OFF			0x84000008

static int exiting, exit_status;

/* Are we on the way out (so an undefined HLT is semihosting's absence, not a bug)? */
int kernel_exiting(void)
{
	return exiting;
}

void kernel_exit(int status)
{
	if (exiting)
		status = exit_status;	/* the second time round: the status of the first */
	exit_status = status;
	if (!exiting++) {
		static u64 block[2];
		register u64 x0 __asm__("x0") = SYS_EXIT_EXTENDED;
		register u64 x1 __asm__("x1") = (u64)block;

		block[0] = ADP_STOPPED_APPLICATION_EXIT;
		block[1] = (u64)(s64)status;
		__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	}
	kprintf("kernel: no semihosting; powering off (status %d)\n", status);
	register u64 x0 __asm__("x0") = PSCI_SYSTEM_OFF;
	if (boot_el == 2)
		__asm__ __volatile__("smc #0" : "+r"(x0) : : "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0) : : "memory");
	for (;;)
		__asm__ __volatile__("wfi");
}

void panic(const char *msg)
{
	kprintf("kernel panic: %s\n", msg);
	kernel_exit(125);
}

/*
 * The compiler may emit calls to these even in freestanding code (struct
 * copies, zeroing loops).  Byte loops: clang does not turn the body of a
 * function named memset or memcpy back into a call to itself.
 */
void *memset(void *d, int c, size_t n)
{
	u8 *p = d;

	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *p = d;
	const u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}
