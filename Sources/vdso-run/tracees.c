/* SPDX-License-Identifier: MIT */
/*
 * The set of live tracees, so that the tracer knows when the last one is gone
 * (its writer is a child too, so waitpid's ECHILD cannot say it).
 *
 * A tracee is born at its parent's PTRACE_EVENT_FORK/VFORK/CLONE and gone at
 * its exit report.  The two may be seen in either order: the new child runs
 * as soon as its first stop is continued, and can exit before waitpid hands
 * us the parent's fork event.  So a death with no birth leaves a tombstone
 * that the late birth cancels.  The pid cannot be reused in between: the
 * dead child stays a zombie of a parent that is stopped in the fork event.
 *
 * Each live tracee also says whether it was born a thread-group leader (by
 * fork or vfork): only a thread that is not a leader changes its tid at exec;
 * and which program it runs, as /proc/self/exe would name it were it not
 * the loader (inherited at birth, set at each followed exec).
 *
 * Open addressing, linear probing, backward-shift deletion; grows by doubling.
 */
#include "vdso_run.h"

#include <stdlib.h>
#include <string.h>

enum { SLOT_FREE, SLOT_LIVE, SLOT_DEAD };

struct slot {
	pid_t pid;
	int state;
	bool leader;
	char *exe;
};

static struct slot *slots;
static size_t cap, used, live;

static size_t hash(pid_t pid)
{
	return ((size_t)(unsigned)pid * 2654435761u) & (cap - 1);
}

static struct slot *find(pid_t pid)
{
	for (size_t i = hash(pid);; i = (i + 1) & (cap - 1)) {
		if (slots[i].state == SLOT_FREE || slots[i].pid == pid)
			return &slots[i];
	}
}

static void grow(void)
{
	struct slot *old = slots;
	size_t ocap = cap;
	cap = cap ? cap * 2 : 64;
	slots = calloc(cap, sizeof *slots);
	if (!slots)
		die("out of memory");
	for (size_t i = 0; i < ocap; i++)
		if (old[i].state != SLOT_FREE)
			*find(old[i].pid) = old[i];
	free(old);
}

static void erase(struct slot *s)
{
	free(s->exe);
	size_t i = (size_t)(s - slots);
	for (size_t j = (i + 1) & (cap - 1); slots[j].state != SLOT_FREE; j = (j + 1) & (cap - 1)) {
		size_t h = hash(slots[j].pid);
		/* Move j back into the hole at i unless its home lies in (i, j]. */
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			slots[i] = slots[j];
			i = j;
		}
	}
	slots[i].state = SLOT_FREE;
	used--;
}

/* Record `pid` as `state`, or cancel it against the opposite record. */
static void note(pid_t pid, int state, bool leader, const char *exe)
{
	if ((used + 1) * 2 > cap)
		grow();
	struct slot *s = find(pid);
	if (s->state == SLOT_FREE) {
		*s = (struct slot){ pid, state, leader, exe ? strdup(exe) : NULL };
		used++;
		live += state == SLOT_LIVE;
		return;
	}
	if (s->state == state)
		return;		/* a second report of the same thing */
	live -= s->state == SLOT_LIVE;
	erase(s);
}

void tracee_born(pid_t pid, bool leader, pid_t parent)
{
	note(pid, SLOT_LIVE, leader, parent > 0 ? tracee_exe(parent) : NULL);
}

void tracee_gone(pid_t pid)
{
	note(pid, SLOT_DEAD, false, NULL);
}

void tracee_set_exe(pid_t pid, const char *exe)
{
	if (!cap)
		return;
	struct slot *s = find(pid);
	if (s->state != SLOT_LIVE)
		return;
	free(s->exe);
	s->exe = strdup(exe);
}

const char *tracee_exe(pid_t pid)
{
	if (!cap)
		return NULL;
	const struct slot *s = find(pid);
	return s->state == SLOT_LIVE ? s->exe : NULL;
}

bool tracee_is_leader(pid_t pid)
{
	if (!cap)
		return false;
	const struct slot *s = find(pid);
	return s->state == SLOT_LIVE && s->leader;
}

size_t tracees_live(void)
{
	return live;
}
