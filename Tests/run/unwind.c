/* A SIGPROF handler that interrupts clock_gettime inside the vDSO must be
 * able to unwind out of it: a frame in the vDSO, then (through libc's
 * wrapper) spin_clock, the caller.  Exit 0 when seen; 1 if never in 3 s. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <time.h>
#include <unwind.h>

static uintptr_t vlo, vhi;
static volatile int done, samples, in_vdso;
static uintptr_t trace[64];
static int ntrace;
static char report[4096];

static _Unwind_Reason_Code step(struct _Unwind_Context *ctx, void *arg)
{
	(void)arg;
	if (ntrace < 64)
		trace[ntrace++] = _Unwind_GetIP(ctx);
	return ntrace < 64 ? _URC_NO_REASON : _URC_END_OF_STACK;
}

__attribute__((noinline)) void spin_clock(void)
{
	struct timespec ts;
	while (!done)
		clock_gettime(CLOCK_MONOTONIC, &ts);
}

static void handler(int sig)
{
	(void)sig;
	if (done)
		return;
	ntrace = 0;
	_Unwind_Backtrace(step, NULL);
	samples++;
	int v = -1;
	for (int i = 0; i < ntrace; i++)
		if (trace[i] >= vlo && trace[i] < vhi) {
			v = i;
			break;
		}
	if (v < 0)
		return;
	in_vdso++;
	for (int j = v + 1; j < ntrace; j++) {
		Dl_info di;
		if (dladdr((void *)(trace[j] - 1), &di) && di.dli_sname && strcmp(di.dli_sname, "spin_clock") == 0) {
			int n = 0;
			for (int k = 0; k < ntrace && n < (int)sizeof report - 80; k++) {
				const char *s = dladdr((void *)(trace[k] - 1), &di) && di.dli_sname ? di.dli_sname : "?";
				n += snprintf(report + n, sizeof report - n, "  #%d 0x%lx %s%s\n", k, (unsigned long)trace[k],
					      s, k == v ? " (vDSO)" : "");
			}
			done = 1;
			return;
		}
	}
}

int main(void)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)getauxval(AT_SYSINFO_EHDR);
	if (!eh) {
		printf("no vDSO\n");
		return 1;
	}
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			vhi = (uintptr_t)eh + ph[i].p_vaddr + ph[i].p_memsz;
	vlo = (uintptr_t)eh;
	signal(SIGPROF, handler);
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	setitimer(ITIMER_PROF, &it, NULL);
	signal(SIGALRM, SIG_DFL);
	alarm(3);	/* never unwound out of the vDSO: die of SIGALRM */
	spin_clock();
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_PROF, &off, NULL);
	printf("unwound out of the vDSO (%d samples, %d in the vDSO):\n%s", samples, in_vdso, report);
	return 0;
}
