/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every handler saves errno: it can interrupt the parent between any call
 * and the code that reads that call's errno.  The reaper counts with a mask
 * so the counter wraps without signed overflow.  The self-pipe is
 * non-blocking at both ends: a full pipe already says "a signal came".
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"

volatile sig_atomic_t signals_stop;
volatile sig_atomic_t signals_reopen;
static volatile sig_atomic_t reaped;
static volatile sig_atomic_t in_child;	/* signals_child() was called */
static int pipe_fd[2] = { -1, -1 };

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
	log_flush_at_signal();
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
on_child(int sig)
{
	int saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		reaped = (reaped + 1) & SIGNALS_COUNT_MASK;
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

static int
nonblocking_cloexec(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	return 0;
}

int
signals_init(void)
{
	in_child = 0;
	if (pipe(pipe_fd) != 0)
		return -1;
	if (nonblocking_cloexec(pipe_fd[0]) != 0 ||
	    nonblocking_cloexec(pipe_fd[1]) != 0)
		return -1;
	/* SA_RESTART for the reaper: it passes through any blocking call */
	if (handle(SIGTERM, on_stop, 0) != 0 ||
	    handle(SIGINT, on_stop, 0) != 0 ||
	    handle(SIGHUP, on_hup, 0) != 0 ||
	    handle(SIGALRM, on_alarm, 0) != 0 ||
	    handle(SIGCHLD, on_child, SA_RESTART | SA_NOCLDSTOP) != 0 ||
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

void
signals_child(void)
{
	in_child = 1;
	(void)close(pipe_fd[0]);
	(void)close(pipe_fd[1]);
	pipe_fd[0] = pipe_fd[1] = -1;
}
