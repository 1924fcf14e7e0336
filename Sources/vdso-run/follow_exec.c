/* SPDX-License-Identifier: MIT */
/*
 * Following exec: every program the tree starts runs under our image too.
 *
 * The mechanism is the kernel's, so that no program can step around it: a
 * seccomp filter (arch_exec_filter) that returns SECCOMP_RET_TRACE for
 * execve and execveat and SECCOMP_RET_ALLOW for every other call, and this
 * process as the ptrace tracer of the whole tree.  A filter cannot be
 * removed, and a tracee cannot detach itself.  Why ptrace rather than
 * seccomp user notification: a notification can only let the call run
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) or fail it, with the arguments the
 * program chose, but following exec means executing a different file with a
 * longer argv, that is, changing the registers; only a tracer may.
 *
 *   tracer (this process, the PID `vdsogen run` was started as)
 *   |-- writer    keeps the data pages current (data.c); not traced
 *   `-- top       the program; its children are traced as they are born
 *
 * The tracer owns everything it starts: it reaps the writer and every tracee
 * (it is a child subreaper, so orphans come back to it rather than to a PID 1
 * that may not reap), and it exits only when the last tracee is gone, with
 * the top program's status (128 + N for a death by signal N, as a shell
 * reports it).  PTRACE_O_EXITKILL takes the tree down if the tracer is killed.
 *
 * A rewritten exec (exec_rewrite.c) starts the loader, which reads its
 * options from a sealed "session" memfd of the tracer and maps the same data
 * pages, through /proc/TRACER/fd (session.c).
 */
#include "vdso_run.h"
#include "inject.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* PTRACE_O_TRACEEXEC only where needed (on_exec_stop): it costs a stop per exec. */
#define TRACE_OPTIONS	(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
			 PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL)

/* --follow-exec=event (exec_event.c): no filter; every exec reports PTRACE_EVENT_EXEC. */
#define EVENT_OPTIONS	(PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
			 PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL)

static bool event_mode;
static volatile pid_t top;	/* 0 once reaped: the signal handler must not kill(0) */
static pid_t writer;
/* The data pages as the writer writes them (see vdso_data_release). */
static struct vdso_data data;

/*
 * A signal someone sent the tracer (kill, timeout(1), a service manager) is
 * meant for the program.  One the terminal sent the foreground process group
 * (^C, ^\, a hangup, SIGWINCH) has reached the program already: si_code
 * SI_KERNEL says so, and it is not sent twice.
 */
static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	pid_t t = top;
	if (t > 0 && si->si_code <= 0 && si->si_pid != t)
		kill(t, sig);
}

static void forward_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH, SIGCONT };
	struct sigaction sa = { .sa_sigaction = forward, .sa_flags = SA_SIGINFO | SA_RESTART };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Without CAP_SYS_ADMIN the kernel takes a filter only under no_new_privs. */
static void install_filter(void)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &arch_exec_filter) == 0)
		return;
	if (errno == EACCES && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &arch_exec_filter) == 0)
		return;
	die("cannot install the exec filter (seccomp: %s); pass --no-follow-exec", strerror(errno));
}

static void on_exec_stop(pid_t pid, const struct follow_ctx *ctx)
{
	unsigned long kind = 0;
	char why[PATH_MAX + 160];
	if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &kind) != 0)
		return;
	/*
	 * A thread that may not be its group's leader must report the exec
	 * (PTRACE_EVENT_EXEC), or its tid would vanish from under us.  A
	 * SEIZEd tracee without the option execs without any stop.  Set at
	 * this stop, the option holds for this exec; children inherit it.
	 */
	if (!tracee_is_leader(pid))
		ptrace(PTRACE_SETOPTIONS, pid, 0, TRACE_OPTIONS | PTRACE_O_TRACEEXEC);
	if (!exec_rewrite(pid, (int)kind, ctx, why, sizeof why) && why[0])
		vlog("exec in pid %d: %s; the kernel runs it with its own vDSO", (int)pid, why);
}

/* One ptrace stop; the tracee is restarted before we return. */
static void on_stop(pid_t pid, int st, const struct follow_ctx *ctx)
{
	int sig = WSTOPSIG(st), inject = 0;
	unsigned long msg;
	switch ((unsigned)st >> 16) {
	case PTRACE_EVENT_SECCOMP:
		/*
		 * Since Linux 4.8 this stop comes before the syscall-entry stop
		 * (which we never ask for), and after it the kernel runs the filter
		 * again on what we left in the registers; a TRACE answer then means
		 * "allowed", so the rewritten execve goes through.
		 */
		on_exec_stop(pid, ctx);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		/*
		 * The child is already attached (it will report a PTRACE_EVENT_STOP
		 * of its own, perhaps before this event reaches us).  A vfork parent
		 * continued here stays blocked in the kernel until the child execs
		 * or exits, so the child's exec may use the stack below its sp.
		 */
		if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0)
			tracee_born((pid_t)msg, true, pid);
		break;
	case PTRACE_EVENT_CLONE:
		/* A thread, or a process made by clone() without CLONE_VFORK. */
		if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0)
			tracee_born((pid_t)msg, false, pid);
		break;
	case PTRACE_EVENT_EXEC:
		/*
		 * After a successful exec.  If a thread other than the leader
		 * exec'd, the other threads have reported their deaths, the
		 * leader's is never reported, and the exec'ing thread now wears the
		 * leader's pid: its old tid is gone without an exit report.
		 */
		if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 && (pid_t)msg != pid) {
			const char *exe = tracee_exe((pid_t)msg);
			char *copy = exe ? strdup(exe) : NULL;
			if (copy)
				tracee_set_exe(pid, copy);
			free(copy);
			tracee_gone((pid_t)msg);
		}
		if (event_mode)
			exec_event_stop(pid);
		break;
	case PTRACE_EVENT_STOP:
		/*
		 * PTRACE_SEIZE reports a group-stop this way, with the stopping
		 * signal; PTRACE_LISTEN leaves the tracee stopped as the kernel would
		 * (a shell sees it, ^Z works) until SIGCONT.  SIGTRAP: a new child's
		 * first stop, or the re-trap after SIGCONT; it just goes on.
		 */
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			ptrace(PTRACE_LISTEN, pid, 0, 0);
			return;
		}
		break;
	case 0:
		if (sig == SIGTRAP && event_mode && exec_event_trap(pid))
			break;	/* the stub's int3: not the program's signal */
		inject = sig;	/* signal-delivery-stop: deliver it */
		break;
	}
	ptrace(PTRACE_CONT, pid, 0, inject);
}

static _Noreturn void trace(const struct follow_ctx *ctx, const char *program)
{
	int status = 0;
	bool top_done = false;
	tracee_born(top, true, 0);
	char *abs = realpath(program, NULL);
	if (abs)
		tracee_set_exe(top, abs);
	free(abs);
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;	/* ECHILD: no tracee, no writer */
		}
		if (WIFSTOPPED(st)) {
			if (pid != writer)
				on_stop(pid, st, ctx);
			continue;
		}
		if (pid == writer) {
			writer = 0;
			vdso_data_release(&data);
			if (!top_done)
				fprintf(stderr, "vdso-run: the data-page writer (pid %d) died; the time data stands still\n",
					(int)pid);
			continue;
		}
		if (pid == top) {
			status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			top_done = true;
			top = 0;
		}
		tracee_gone(pid);
		exec_event_gone(pid);
		if (top_done && tracees_live() == 0)
			break;
	}
	if (writer > 0) {
		kill(writer, SIGKILL);
		while (waitpid(writer, NULL, 0) < 0 && errno == EINTR)
			;
	}
	/* Zombies whose parent exited after us seeing them die were handed to us. */
	while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
		;
	fflush(NULL);
	_exit(status);
}

/* Trace the top program, or take it and the writer down and say why. */
static void seize(pid_t child)
{
	if (ptrace(PTRACE_SEIZE, child, 0, event_mode ? EVENT_OPTIONS : TRACE_OPTIONS) == 0)
		return;
	int e = errno;
	kill(child, SIGKILL);
	if (writer > 0)
		kill(writer, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	die("cannot trace the program (ptrace: %s); pass --no-follow-exec to run it without following exec",
	    strerror(e));
}

/* Our tracer's pid (another run, a debugger), or 0. */
static pid_t tracer_of_self(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	int pid = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %d", &pid) == 1)
			break;
	if (f)
		fclose(f);
	return (pid_t)pid;
}

void follow_exec_start(struct run_options *opt, const char *program, int *data_fd)
{
	/*
	 * Under a tracer already (`run` inside `run`, a debugger), our children
	 * would be its tracees, not ours: the program alone gets the image here,
	 * and an outer run follows what it execs, with the outer options.
	 */
	pid_t outer = tracer_of_self();
	if (outer > 0) {
		vlog("traced by pid %d already: exec is not followed by this run", (int)outer);
		opt->follow_exec = false;
		*data_fd = -1;
		return;
	}
	struct follow_ctx ctx = { .tracer = getpid(), .uid = geteuid(), .gid = getegid() };
	int loader = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (loader < 0 || fstat(loader, &st) != 0)
		die("/proc/self/exe: %s", strerror(errno));
	ctx.loader_dev = st.st_dev;
	ctx.loader_ino = st.st_ino;
	int image = -1, image32 = -1;
	struct vdso_data d = { .memfd = -1 };
	ctx.fits64 = opt->no_vdso || opt->image;
	ctx.fits32 = opt->no_vdso || opt->image32;
	char run32[PATH_MAX];
	loader32_path(run32, sizeof run32);
	if (stat(run32, &st) == 0) {
		ctx.loader32_dev = st.st_dev;
		ctx.loader32_ino = st.st_ino;
	}
	if (!opt->no_vdso) {
		if (opt->image && (image = open(opt->image, O_RDONLY | O_CLOEXEC)) < 0)
			die("%s: %s", opt->image, strerror(errno));
		if (opt->image32 && (image32 = open(opt->image32, O_RDONLY | O_CLOEXEC)) < 0)
			die("%s: %s", opt->image32, strerror(errno));
		vdso_data_create(opt, &d);
		writer = vdso_writer_start_owned(&d);
		/* d.w stays mapped: vdso_data_release() needs it if the writer dies. */
		data = d;
	}
	int session = session_create(opt, ctx.tracer, image, image32, d.memfd, writer);
	snprintf(ctx.loader, sizeof ctx.loader, "/proc/%d/fd/%d", (int)ctx.tracer, loader);
	snprintf(ctx.follow_arg, sizeof ctx.follow_arg, "--follow=%d:%d", (int)ctx.tracer, session);
	/* Orphans of the tree come back to us, not to a PID 1 that may not reap. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	int go[2];
	if (pipe2(go, O_CLOEXEC) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t child = fork();
	if (child < 0)
		die("fork: %s", strerror(errno));
	if (child == 0) {
		/* The program: wait until we are traced, then take the filter. */
		close(go[1]);
		close(loader);
		close(session);
		if (image >= 0)
			close(image);
		if (image32 >= 0)
			close(image32);
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(2);	/* the tracer said why */
		close(go[0]);
		if (!opt->follow_event)
			install_filter();
		*data_fd = d.memfd;
		opt->writer_pid = writer;
		return;
	}
	close(go[0]);
	top = child;
	event_mode = opt->follow_event;
	if (event_mode)
		exec_event_init(opt, ctx.tracer, d.memfd, writer, ctx.follow_arg);
	seize(child);
	if (write(go[1], "g", 1) != 1)
		die("pipe: %s", strerror(errno));
	close(go[1]);
	forward_signals();
	trace(&ctx, program);
}
