/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every handler saves errno: it can interrupt the parent between any call
 * and the code that reads that call's errno.  The reaper counts with a mask
 * so the counter wraps without signed overflow.  The self-pipe is
 * non-blocking at both ends: a full pipe already says "a signal came".
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "board.h"
#include "mem.h"
#include "fd.h"
#include "metrics.h"
#include "signals.h"

volatile sig_atomic_t signals_stop;
volatile sig_atomic_t signals_reopen;
volatile sig_atomic_t signals_upgrade;
static volatile sig_atomic_t reaped;
static volatile sig_atomic_t in_child;	/* signals_child() was called */
static int pipe_fd[2] = { -1, -1 };

/* The pids the reaper collected, for a parent that tracks its children. */
static pid_t *ring;
static size_t ring_mask;
static volatile sig_atomic_t ring_head;	/* modulo SIGNALS_COUNT_MASK + 1 */
static unsigned int ring_tail;

/* A forked child's place on the board: SIGUSR1 ends it if reclaimed. */
static struct slot *child_slot;
/* What a child does before a signal ends it (write its held lines). */
static void (*child_dying)(void);

static void
wake(void)
{
	static const char byte = 0;
	ssize_t n;

	/* a full pipe already says "a signal came" */
	if (pipe_fd[1] >= 0)
		n = write(pipe_fd[1], &byte, 1);
	(void)n;
}

/*
 * In a child, the stop and reopen signals act as they would by default
 * (they end it), once the log lines it holds are written.  Setting that
 * disposition when a signal comes costs less than four sigaction calls in
 * every child.  The alarm ends a write to a log pipe nobody reads.
 */
static void
act_by_default(int sig)
{
	(void)alarm(1);
	if (child_dying != NULL)
		child_dying();
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
}

/* --child-deadline's alarm, or the one above: the default, after the log */
static void
on_alarm(int sig)
{
	int saved = errno;

	act_by_default(sig);
	errno = saved;
}

static void
on_stop(int sig)
{
	int saved = errno;

	if (in_child) {
		act_by_default(sig);
		errno = saved;
		return;
	}
	signals_stop = 1;
	wake();
	errno = saved;
}

static void
on_hup(int sig)
{
	int saved = errno;

	if (in_child) {
		act_by_default(sig);
		errno = saved;
		return;
	}
	signals_reopen = 1;
	wake();
	errno = saved;
}

static void
on_upgrade(int sig)
{
	int saved = errno;

	if (in_child) {
		act_by_default(sig);
		errno = saved;
		return;
	}
	signals_upgrade = 1;
	wake();
	errno = saved;
}

static void
on_child(int sig)
{
	int saved = errno;
	pid_t pid;
	int st;

	(void)sig;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		/* a lock-free atomic add: safe here */
		if (WIFSIGNALED(st))
			metrics_signaled(WTERMSIG(st));
		if (ring != NULL) {
			ring[(unsigned int)ring_head & ring_mask] = pid;
			atomic_signal_fence(memory_order_seq_cst);
			ring_head = (ring_head + 1) & SIGNALS_COUNT_MASK;
		}
		reaped = (reaped + 1) & SIGNALS_COUNT_MASK;
	}
	errno = saved;
}

/*
 * SIGUSR1 from the parent: it took this child's slot while the child was
 * idle, for a new client.  The slot's state says whether that is still
 * so; a child that has begun a request meanwhile goes on.
 */
static void
on_reclaim(int sig)
{
	int saved = errno;

	(void)sig;
	if (in_child && child_slot != NULL &&
	    atomic_load(&child_slot->state) >= SLOT_RECLAIM) {
		(void)alarm(1);		/* a log pipe nobody reads */
		if (child_dying != NULL)
			child_dying();
		_exit(0);
	}
	errno = saved;
}

static int
handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	if (sigemptyset(&sa.sa_mask) != 0)
		return -1;
	return sigaction(sig, &sa, NULL);
}

int
signals_init(void)
{
	in_child = 0;
	if (pipe(pipe_fd) != 0)
		return -1;
	if (fd_nonblock_cloexec(pipe_fd[0]) != 0 ||
	    fd_nonblock_cloexec(pipe_fd[1]) != 0)
		return -1;
	/* SA_RESTART for the reaper: it passes through any blocking call */
	if (handle(SIGTERM, on_stop, 0) != 0 ||
	    handle(SIGINT, on_stop, 0) != 0 ||
	    handle(SIGHUP, on_hup, 0) != 0 ||
	    handle(SIGALRM, on_alarm, 0) != 0 ||
	    handle(SIGCHLD, on_child, SA_RESTART | SA_NOCLDSTOP) != 0 ||
	    handle(SIGUSR1, on_reclaim, SA_RESTART) != 0 ||
	    handle(SIGUSR2, on_upgrade, 0) != 0 ||
	    handle(SIGPIPE, SIG_IGN, 0) != 0)
		return -1;
	return 0;
}

int
signals_fd(void)
{
	return pipe_fd[0];
}

void
signals_drain(void)
{
	char buf[64];

	while (pipe_fd[0] >= 0 && read(pipe_fd[0], buf, sizeof(buf)) > 0)
		;
}

unsigned int
signals_reaped(void)
{
	return (unsigned int)reaped;
}

int
signals_track_children(size_t n)
{
	size_t size = 64;

	while (size < 2 * n)
		size *= 2;
	if (size > (size_t)SIGNALS_COUNT_MASK + 1 ||
	    (ring = mem_private(size * sizeof(*ring))) == NULL)
		return -1;
	ring_mask = size - 1;
	ring_tail = (unsigned int)ring_head;
	return 0;
}

pid_t
signals_next_reaped(void)
{
	pid_t pid;

	if (ring == NULL || ring_tail == (unsigned int)ring_head)
		return 0;
	atomic_signal_fence(memory_order_seq_cst);
	pid = ring[ring_tail & ring_mask];
	ring_tail = (ring_tail + 1) & SIGNALS_COUNT_MASK;
	return pid;
}

void
signals_untrack_children(void)
{
	pid_t *r = ring;

	/* the reaper may run at any moment: it must never see it freed */
	ring = NULL;
	atomic_signal_fence(memory_order_seq_cst);
	mem_free_private(r, (ring_mask + 1) * sizeof(*r));
}

void
signals_child(struct slot *slot, void (*dying)(void))
{
	child_slot = slot;
	child_dying = dying;
	in_child = 1;
	(void)close(pipe_fd[0]);
	(void)close(pipe_fd[1]);
	pipe_fd[0] = pipe_fd[1] = -1;
}
