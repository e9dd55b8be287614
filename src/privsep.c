/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A request to the opener is an index and a fresh socket for the answer,
 * never a path: it opens only what root registered, and the answers to
 * concurrent callers (children, threads) never cross.  The opener is our
 * child; the server's SIGCHLD handler may reap it before privsep_stop()
 * does, so ECHILD there means "already reaped", and the models ignore
 * its pid, which is on no board or worker list of theirs.
 */
#include <config.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "privsep.h"
#include "upgrade.h"

#define QUIT		(-1)	/* the request of privsep_stop() */
#define SPAWN		(-2)	/* privsep_spawn()'s: the listeners follow on
				   the answer's socket */

/* What follows a SPAWN request, with the listeners as SCM_RIGHTS. */
struct spawn_req {
	size_t		 n;
	int		 tls[MAX_SOCKETS];
	pid_t		 old;
};
#define OPENER_FD	3	/* the opener's socket, after 0-2 */
#define MAX_CLOSE_FD	65536	/* where RLIMIT_NOFILE says nothing */

/* Set before the fork, read-only after: children and threads share it. */
static char names[PRIVSEP_MAX_PATHS][PATH_MAX];
static enum privsep_how hows[PRIVSEP_MAX_PATHS];
static int npaths;
static int started;
static int sock = -1;		/* our end; -1 when let go */
static pid_t opener;		/* 0 when none may be asked */
static pid_t starter;		/* who may stop it */

static const struct timeval timeout = { PRIVSEP_TIMEOUT_SEC, 0 };

static int
open_path(int i)
{
	struct stat st;
	int fd, fl;

	if (i < 0 || i >= npaths) {
		errno = EINVAL;
		return -1;
	}
	if (hows[i] == PRIVSEP_APPEND)
		return log_open_file(names[i]);
	/* a FIFO where the key was must not hang the opener */
	fd = open(names[i], O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		(void)close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/* One message of len bytes on s, with the nfd descriptors of fds. */
static ssize_t
send_fds(int s, const void *buf, size_t len, const int *fds, size_t nfd,
    int flags)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * MAX_SOCKETS)];
	} cm;
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg;
	struct cmsghdr *c;
	ssize_t n;

	if (nfd > MAX_SOCKETS) {
		errno = EINVAL;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfd > 0) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfd);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfd);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfd);
	}
	do
		n = sendmsg(s, &msg, flags | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n;
}

/* One message of len bytes on s, with descriptor fd when it is >= 0. */
static ssize_t
send_msg(int s, const void *buf, size_t len, int fd, int flags)
{
	return send_fds(s, buf, len, &fd, fd >= 0 ? 1 : 0, flags);
}

/*
 * One message of exactly len bytes into buf (else EMSGSIZE), the first
 * max descriptors that came with it in fds, *nfd of them; any more are
 * closed.  0 at the end of the stream.
 */
static ssize_t
recv_fds(int s, void *buf, size_t len, int *fds, size_t max, size_t *nfd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * MAX_SOCKETS)];
	} cm;
	struct iovec iov = { buf, len };
	struct msghdr msg;
	struct cmsghdr *c;
	size_t i, k;
	ssize_t n;
	int got;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	*nfd = 0;
	do
		n = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < k; i++) {
			memcpy(&got, CMSG_DATA(c) + i * sizeof(got),
			    sizeof(got));
			if (*nfd < max)
				fds[(*nfd)++] = got;
			else
				(void)close(got);
		}
	}
	if (n > 0 && ((size_t)n != len ||
	    (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))) {
		errno = EMSGSIZE;
		return -1;	/* the descriptors are still the caller's */
	}
	return n;
}

/* As recv_fds(), for one descriptor in *fd (or -1). */
static ssize_t
recv_msg(int s, void *buf, size_t len, int *fd)
{
	size_t nfd;

	*fd = -1;
	return recv_fds(s, buf, len, fd, 1, &nfd);
}

/* In the opener: a SPAWN, answered with the new pid or -errno. */
static void
spawn_for(int reply)
{
	struct spawn_req r;
	int fds[MAX_SOCKETS], answer = -EINVAL;
	size_t got = 0;
	pid_t pid;

	if (recv_fds(reply, &r, sizeof(r), fds, MAX_SOCKETS, &got) > 0 &&
	    got > 0 && r.n == got) {
		pid = upgrade_spawn(fds, r.tls, got, r.old);
		answer = pid > 0 ? (int)pid : -errno;
	}
	while (got > 0)
		(void)close(fds[--got]);
	(void)send_msg(reply, &answer, sizeof(answer), -1, MSG_DONTWAIT);
}

static void
close_from(int lo)
{
	struct rlimit rl;
	int fd, hi = MAX_CLOSE_FD;

#ifdef HAVE_CLOSE_RANGE
	if (close_range((unsigned int)lo, ~0U, 0) == 0)
		return;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)INT_MAX)
		hi = (int)rl.rlim_cur;
	for (fd = lo; fd < hi; fd++)
		(void)close(fd);	/* EBADF for most: nothing to check */
}

/* The opener itself: answer requests until the server is gone. */
static void __attribute__((noreturn))
serve(int s)
{
	/* a signal to the server's group must not end us first */
	static const int ignored[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
	    SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE };
	struct sigaction nocld;
	sigset_t none;
	size_t i;
	ssize_t n;
	int req, answer, reply, fd;

	/* blocked since before the fork: one sent meanwhile is dropped now */
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (signal(ignored[i], SIG_IGN) == SIG_ERR)
			_exit(1);
	/* what it spawns (upgrade.c) is reaped by no one: no zombies */
	memset(&nocld, 0, sizeof(nocld));
	nocld.sa_handler = SIG_DFL;
	nocld.sa_flags = SA_NOCLDWAIT;
	if (sigaction(SIGCHLD, &nocld, NULL) != 0 || sigemptyset(&none) != 0 ||
	    sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		_exit(1);
	if (s != OPENER_FD && (dup2(s, OPENER_FD) < 0 || close(s) != 0))
		_exit(1);
	close_from(OPENER_FD + 1);
#ifdef PR_SET_NAME
	/* ps and top tell it from the server, which has given up root */
	(void)prctl(PR_SET_NAME, OPENER_NAME, 0, 0, 0);
#endif
	for (;;) {
		n = recv_msg(OPENER_FD, &req, sizeof(req), &reply);
		if (n == 0)
			_exit(0);	/* every server end is closed */
		if (n < 0 && errno != EMSGSIZE)
			_exit(1);
		if (reply < 0)
			continue;	/* nowhere to answer */
		if (n > 0 && req == QUIT)
			_exit(0);
		if (n > 0 && req == SPAWN) {
			spawn_for(reply);
			(void)close(reply);
			continue;
		}
		if (n < 0) {
			fd = -1;
			errno = EINVAL;
		} else
			fd = open_path(req);
		answer = fd < 0 ? errno : 0;
		/* never wait on a caller: a fresh socket has room */
		(void)send_msg(reply, &answer, sizeof(answer), fd,
		    MSG_DONTWAIT);
		if (fd >= 0)
			(void)close(fd);
		(void)close(reply);
	}
}

int
privsep_add(const char *path, enum privsep_how how)
{
	char cwd[PATH_MAX];
	int n;

	if (started || npaths == PRIVSEP_MAX_PATHS || path[0] == '\0' ||
	    (how != PRIVSEP_READ && how != PRIVSEP_APPEND)) {
		errno = started ? EBUSY : npaths == PRIVSEP_MAX_PATHS ?
		    ENOSPC : EINVAL;
		return -1;
	}
	/* the server chdirs to / as it detaches */
	if (path[0] == '/')
		n = snprintf(names[npaths], PATH_MAX, "%s", path);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		n = snprintf(names[npaths], PATH_MAX, "%s/%s", cwd, path);
	else
		return -1;
	if (n < 0 || n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	hows[npaths] = how;
	return npaths++;
}

int
privsep_start(void)
{
	sigset_t all, old;
	int sv[2], saved;
	pid_t pid;

	if (started) {
		errno = EBUSY;
		return -1;
	}
	if (sigfillset(&all) != 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	/*
	 * Signals stay blocked until the opener ignores them: a signal to
	 * the group just after the fork must not end it.  The send timeout
	 * bounds a caller even if the opener hangs in open(2).
	 */
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &timeout,
	    sizeof(timeout)) != 0 ||
	    sigprocmask(SIG_SETMASK, &all, &old) != 0) {
		saved = errno;
		(void)close(sv[0]);
		(void)close(sv[1]);
		errno = saved;
		return -1;
	}
	if ((pid = fork()) == 0) {
		(void)close(sv[0]);
		serve(sv[1]);
	}
	saved = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	(void)close(sv[1]);
	if (pid < 0) {
		(void)close(sv[0]);
		errno = saved;
		return -1;
	}
	sock = sv[0];
	opener = pid;
	starter = getpid();
	started = 1;
	return 0;
}

/*
 * Send req with a fresh socket for the answer, and wait for the answer:
 * as recv_msg(), 0 when the opener closed its end (exited) instead.
 */
static ssize_t
ask(int req, int *answer, int *fd)
{
	int sv[2], saved;
	ssize_t n = -1;

	*fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	if (setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout,
	    sizeof(timeout)) == 0 &&
	    send_msg(sock, &req, sizeof(req), sv[1], 0) >= 0) {
		/* only the opener holds the other end now */
		(void)close(sv[1]);
		sv[1] = -1;
		n = recv_msg(sv[0], answer, sizeof(*answer), fd);
	}
	saved = errno;
	(void)close(sv[0]);
	if (sv[1] >= 0)
		(void)close(sv[1]);
	/* a timeout (SO_SNDTIMEO or SO_RCVTIMEO) */
	errno = saved == EAGAIN || saved == EWOULDBLOCK ? ETIMEDOUT : saved;
	return n;
}

int
privsep_open(int index)
{
	int answer, fd;
	ssize_t n;

	if (index < 0 || index >= npaths) {
		errno = EINVAL;
		return -1;
	}
	if (!started)
		return open_path(index);
	if (sock < 0) {
		errno = ECONNREFUSED;
		return -1;
	}
	if ((n = ask(index, &answer, &fd)) > 0 && answer == 0 && fd >= 0)
		return fd;
	if (fd >= 0)
		(void)close(fd);
	if (n == 0)
		errno = EPIPE;		/* it went away before answering */
	else if (n > 0)
		errno = answer != 0 ? answer : EPROTO;
	return -1;
}

void
privsep_forget(void)
{
	if (sock >= 0)
		(void)close(sock);
	sock = -1;
	opener = 0;
}

void
privsep_stop(void)
{
	pid_t pid = opener, r;
	int answer, fd, gone;
	ssize_t n;

	if (started && getpid() != starter) {
		privsep_forget();
		return;
	}
	if (pid > 0) {
		n = ask(QUIT, &answer, &fd);
		if (fd >= 0)
			(void)close(fd);
		gone = n == 0 || (n < 0 && (errno == EPIPE ||
		    errno == ECONNRESET));
		/* not gone: it still holds its end, so the pid is still its */
		if (!gone)
			(void)kill(pid, SIGKILL);
		privsep_forget();
		do
			r = waitpid(pid, NULL, 0);
		while (r < 0 && errno == EINTR);
		/* ECHILD: the server's SIGCHLD handler reaped it first */
	}
	privsep_forget();
	npaths = 0;
	started = 0;
}

pid_t
privsep_spawn(const int *fds, const int *tls, size_t n, pid_t old)
{
	struct spawn_req r;
	int sv[2], answer = -EPROTO, fd = -1, saved;
	ssize_t got = -1;

	if (!started)
		return upgrade_spawn(fds, tls, n, old);
	if (sock < 0 || n == 0 || n > MAX_SOCKETS) {
		errno = sock < 0 ? ECONNREFUSED : EINVAL;
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.n = n;
	memcpy(r.tls, tls, n * sizeof(*tls));
	r.old = old;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	if (setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout,
	    sizeof(timeout)) == 0 &&
	    send_msg(sock, &(int){ SPAWN }, sizeof(int), sv[1], 0) >= 0) {
		(void)close(sv[1]);
		sv[1] = -1;
		if (send_fds(sv[0], &r, sizeof(r), fds, n, 0) ==
		    (ssize_t)sizeof(r))
			got = recv_msg(sv[0], &answer, sizeof(answer), &fd);
	}
	saved = errno;
	(void)close(sv[0]);
	if (sv[1] >= 0)
		(void)close(sv[1]);
	if (fd >= 0)
		(void)close(fd);
	if (got > 0 && answer > 0)
		return (pid_t)answer;
	errno = got > 0 ? -answer : got == 0 ? EPIPE : saved;
	return -1;
}

pid_t
privsep_running(void)
{
	return sock >= 0 ? opener : 0;
}
