/* SPDX-License-Identifier: MIT */
/*
 * exec-ways MODE: runs `date +%s` by one way of exec'ing, for the follow-exec
 * tests: thread (a thread other than the leader execs), vfork, spawn
 * (posix_spawn), spawnp (posix_spawnp, a PATH search), fexecve (execveat on
 * an O_CLOEXEC fd), execveat (a path relative to a directory fd), self (it
 * re-executes itself through /proc/self/exe, then execs date).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static char *date_argv[] = { "date", "+%s", NULL };

static void *exec_from_thread(void *unused)
{
	(void)unused;
	execv("/bin/date", date_argv);
	perror("execv");
	_exit(127);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	pid_t p;
	if (strcmp(m, "thread") == 0) {
		pthread_t t;
		pthread_create(&t, NULL, exec_from_thread, NULL);
		pause();
	} else if (strcmp(m, "vfork") == 0) {
		p = vfork();
		if (p == 0) {
			execv("/bin/date", date_argv);
			_exit(127);
		}
	} else if (strcmp(m, "spawn") == 0) {
		if (posix_spawn(&p, "/bin/date", NULL, NULL, date_argv, environ) != 0)
			return 127;
	} else if (strcmp(m, "spawnp") == 0) {
		if (posix_spawnp(&p, "date", NULL, NULL, date_argv, environ) != 0)
			return 127;
	} else if (strcmp(m, "fexecve") == 0) {
		int fd = open("/bin/date", O_RDONLY | O_CLOEXEC);
		fexecve(fd, date_argv, environ);
		perror("fexecve");
		return 127;
	} else if (strcmp(m, "execveat") == 0) {
		int dir = open("/bin", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		syscall(SYS_execveat, dir, "date", date_argv, environ, 0);
		perror("execveat");
		return 127;
	} else if (strcmp(m, "self") == 0) {
		execl("/proc/self/exe", "exec-ways", "self-again", (char *)NULL);
		perror("exec /proc/self/exe");
		return 127;
	} else if (strcmp(m, "self-again") == 0) {
		execv("/bin/date", date_argv);
		return 127;
	} else {
		fprintf(stderr, "usage: exec-ways thread|vfork|spawn|spawnp|fexecve|execveat|self\n");
		return 2;
	}
	int st;
	return waitpid(p, &st, 0) == p && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
