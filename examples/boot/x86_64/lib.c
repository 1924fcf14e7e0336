/* The kernel's console (COM1), a few libc-free helpers, and the way out (isa-debug-exit). */
#include "kernel.h"

#define COM1		0x3f8
#define DEBUG_EXIT	0xf4	/* -device isa-debug-exit,iobase=0xf4,iosize=0x04 */

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	u8 *dp = d;

	while (n--)
		*dp++ = (u8)c;
	return d;
}

/* 115200 baud, 8N1, FIFOs on: what QEMU's -serial stdio expects (it ignores the rate anyway). */
void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no UART interrupts: we poll */
	outb(COM1 + 3, 0x80);	/* DLAB on */
	outb(COM1 + 0, 0x01);	/* divisor 1: 115200 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1, DLAB off */
	outb(COM1 + 2, 0xc7);	/* FIFO on, cleared */
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))	/* transmit holding register empty */
		;
	outb(COM1, (u8)c);
}

void kwrite(const char *s, size_t n)
{
	while (n--) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}

void kputs(const char *s)
{
	while (*s)
		kwrite(s++, 1);
}

void kputhex(u64 v)
{
	char b[19];
	int i;

	b[0] = '0';
	b[1] = 'x';
	for (i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	kwrite(b, 18);
}

void kputhex2(u8 v)
{
	char b[2] = { "0123456789abcdef"[v >> 4], "0123456789abcdef"[v & 15] };

	kwrite(b, 2);
}

void kputdec(u64 v)
{
	char b[20];
	int i = 20;

	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	kwrite(b + i, (size_t)(20 - i));
}

/* QEMU exits with (status << 1) | 1, so even status 0 is an odd exit code: the Makefile maps 1 to success. */
_Noreturn void qemu_exit(u32 status)
{
	outl(DEBUG_EXIT, status);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

_Noreturn void panic(const char *why)
{
	kputs("kernel panic: ");
	kputs(why);
	kputs("\n");
	qemu_exit(0x7f);
}
