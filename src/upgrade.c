/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting the program again over the same sockets: see upgrade.h. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "outbuf.h"
#include "privsep.h"
#include "upgrade.h"

#define ENV_BYTES	64	/* "LISTEN_PID=" and a number, and the like */
#define MAX_ENV		1024	/* variables passed on */

extern char **environ;

static char program[PATH_MAX];
static char started_in[PATH_MAX];	/* for relative names in args */
static char **args;

int
upgrade_remember(char *argv[])
{
	ssize_t n;

	args = argv;
	/* the daemon moves to /: the new one starts where the first did */
	if (getcwd(started_in, sizeof(started_in)) == NULL)
		started_in[0] = '\0';
	/* the path now: once the file is replaced the link says "(deleted)" */
	if ((n = readlink("/proc/self/exe", program, sizeof(program) - 1)) > 0) {
		program[n] = '\0';
		return 0;
	}
	if (argv[0] != NULL && argv[0][0] == '/' &&
	    strlen(argv[0]) < sizeof(program)) {
		memcpy(program, argv[0], strlen(argv[0]) + 1);
		return 0;
	}
	program[0] = '\0';
	return -1;
}

/* Is name=... one of the variables we set? */
static int
ours(const char *var)
{
	static const char *const names[] = { "LISTEN_PID=", "LISTEN_FDS=",
	    "LISTEN_FDNAMES=", UPGRADE_ENV "=" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(var, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

/* "NAME=v" into buf: outbuf is pure, so this may run after the fork. */
static void
put_number(char *buf, size_t size, const char *prefix, long v)
{
	struct outbuf o;

	outbuf_init(&o, buf, size);
	outbuf_put_str(&o, prefix);
	outbuf_put_signed(&o, v, 0);
	(void)outbuf_finish(&o);
}

pid_t
upgrade_spawn(const int *fds, const int *tls, size_t n, pid_t old)
{
	static char fdsvar[ENV_BYTES], pidvar[ENV_BYTES], oldvar[ENV_BYTES];
	static char namesvar[sizeof("LISTEN_FDNAMES=") + 7 * MAX_SOCKETS];
	static char *env[MAX_ENV + 5];
	int tmp[MAX_SOCKETS];
	struct outbuf names;
	struct sigaction dfl;
	sigset_t none;
	size_t i, k = 0;
	pid_t pid;
	int sig;

	if (program[0] == '\0' || args == NULL || n == 0 || n > MAX_SOCKETS) {
		errno = program[0] == '\0' ? ENOENT : EINVAL;
		return -1;
	}
	/* the environment, made before the fork: a thread may hold malloc */
	for (i = 0; environ != NULL && environ[i] != NULL && k < MAX_ENV; i++)
		if (!ours(environ[i]))
			env[k++] = environ[i];
	put_number(fdsvar, sizeof(fdsvar), "LISTEN_FDS=", (long)n);
	put_number(oldvar, sizeof(oldvar), UPGRADE_ENV "=", (long)old);
	outbuf_init(&names, namesvar, sizeof(namesvar));
	outbuf_put_str(&names, "LISTEN_FDNAMES=");
	for (i = 0; i < n; i++) {
		if (i > 0)
			outbuf_put_char(&names, ':');
		outbuf_put_str(&names, tls[i] == UPGRADE_STATUS ? "status" :
		    tls[i] ? "https" : "http");
	}
	(void)outbuf_finish(&names);
	env[k++] = fdsvar;
	env[k++] = oldvar;
	env[k++] = namesvar;
	env[k++] = pidvar;
	env[k] = NULL;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	if ((pid = fork()) != 0)
		return pid;

	/* the child: nothing but async-signal-safe calls from here */
	put_number(pidvar, sizeof(pidvar), "LISTEN_PID=", (long)getpid());
	/* its own session: the old server's group is signalled as it ends */
	(void)setsid();
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &dfl, NULL);
	if (sigemptyset(&none) != 0 ||
	    sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		_exit(127);
	/* the listeners to 3, 4, ...: first out of the way of each other */
	for (i = 0; i < n; i++)
		if ((tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC,
		    3 + (int)n)) < 0)
			_exit(127);
	for (i = 0; i < n; i++)
		if (dup2(tmp[i], 3 + (int)i) < 0)	/* not close-on-exec */
			_exit(127);
	if (started_in[0] != '\0' && chdir(started_in) != 0)
		_exit(127);
	execve(program, args, env);
	_exit(127);
}

void
upgrade_start(const struct listeners *l)
{
	int kind[MAX_SOCKETS];
	size_t i;
	pid_t pid;

	/* what each socket is for, named in LISTEN_FDNAMES */
	for (i = 0; i < l->n; i++)
		kind[i] = l->status[i] ? UPGRADE_STATUS : l->tls[i];
	pid = privsep_spawn(l->fd, kind, l->n, getpid());
	if (pid < 0)
		log_warn("cannot upgrade: cannot start %s",
		    program[0] ? program : "the program");
	else
		log_warnx("upgrading: %s started as pid %ld; this server stops "
		    "once it is ready", program, (long)pid);
}

pid_t
upgrade_replacing(void)
{
	const char *v = getenv(UPGRADE_ENV);
	char *end;
	long pid;

	if (v == NULL)
		return 0;
	pid = strtol(v, &end, 10);
	(void)unsetenv(UPGRADE_ENV);
	return *end == '\0' && pid > 1 ? (pid_t)pid : 0;
}
