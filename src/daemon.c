/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The order matters and main() keeps it: bind (may need root), open the
 * logs, detach, pid file, chroot, drop privileges, then report ready.  The
 * process that started us waits on the lifeline pipe until then, so a
 * failure in any step still reaches the terminal or the init script as a
 * message and a non-zero exit status.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "options.h"

#define PID_TEXT_BYTES	32
#define DEFAULT_USER	"nobody"

int
daemon_begin(void)
{
	int fd[2];
	unsigned char status;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		(void)close(fd[0]);
		(void)close(fd[1]);
		return -1;
	}
	if (pid > 0) {
		/* the original process: wait for the verdict */
		(void)close(fd[1]);
		do
			n = read(fd[0], &status, 1);
		while (n < 0 && errno == EINTR);
		/* no byte means the daemon died before it could say */
		_exit(n == 1 ? status : EXIT_STARTUP);
	}
	(void)close(fd[0]);
	(void)fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	if (setsid() < 0 || chdir("/") != 0) {
		daemon_fail(fd[1], EXIT_STARTUP);
		_exit(EXIT_STARTUP);
	}
	return fd[1];
}

static void
say(int lifeline, unsigned char status)
{
	ssize_t n;

	do
		n = write(lifeline, &status, 1);
	while (n < 0 && errno == EINTR);
	(void)close(lifeline);
}

int
daemon_ready(int lifeline)
{
	int fd;

	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		/* inside a chroot there may be no /dev/null: close instead */
		(void)close(STDIN_FILENO);
		(void)close(STDOUT_FILENO);
		(void)close(STDERR_FILENO);
	} else {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			(void)close(fd);
	}
	say(lifeline, 0);
	return 0;
}

void
daemon_fail(int lifeline, int status)
{
	if (lifeline >= 0)
		say(lifeline, (unsigned char)status);
}

/* Is pid a live forkhttpd?  Where /proc is missing, a live pid is enough. */
static int
live_forkhttpd(pid_t pid)
{
	char path[64], comm[64];
	FILE *f;
	int ours = 1;

	if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH))
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	if ((f = fopen(path, "re")) != NULL) {
		ours = fgets(comm, sizeof(comm), f) != NULL &&
		    strncmp(comm, PACKAGE_NAME, strlen(PACKAGE_NAME)) == 0;
		(void)fclose(f);
	}
	return ours;
}

static pid_t
read_pid(const char *path)
{
	char buf[PID_TEXT_BYTES];
	long long v;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (options_number(buf, 1, 0x7fffffff, &v) != 0)
		return 0;
	return (pid_t)v;
}

int
daemon_pidfile(const char *path, char *err, size_t errsize)
{
	char buf[PID_TEXT_BYTES];
	pid_t old;
	int fd, n;
	ssize_t w;

	if ((old = read_pid(path)) != 0 && old != getpid() &&
	    live_forkhttpd(old)) {
		(void)snprintf(err, errsize, "%s names forkhttpd pid %ld, which "
		    "is still running", path, (long)old);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd < 0) {
		(void)snprintf(err, errsize, "cannot write pid file %s: %s",
		    path, strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	w = write(fd, buf, (size_t)n);
	if (close(fd) != 0 || w != n) {
		(void)snprintf(err, errsize, "cannot write pid file %s", path);
		(void)unlink(path);
		return -1;
	}
	return 0;
}

void
daemon_pidfile_remove(const char *path)
{
	if (path != NULL && read_pid(path) == getpid())
		(void)unlink(path);
}

int
daemon_privileges(const struct config *cfg, char *err, size_t errsize)
{
	const char *name = cfg->user;
	struct passwd *pw = NULL;

	if (geteuid() != 0) {
		if (cfg->chroot_dir != NULL || (name != NULL &&
		    ((pw = getpwnam(name)) == NULL || pw->pw_uid != geteuid()))) {
			(void)snprintf(err, errsize, "%s needs root",
			    cfg->chroot_dir ? "--chroot" : "--user");
			return -1;
		}
		return 0;
	}
	if (name == NULL)
		name = DEFAULT_USER;
	/* look the user up before chroot: /etc/passwd is outside */
	if ((pw = getpwnam(name)) == NULL) {
		(void)snprintf(err, errsize, "unknown user %s", name);
		return -1;
	}
	if (pw->pw_uid == 0 && !cfg->allow_root) {
		(void)snprintf(err, errsize, "refusing to serve as root; use "
		    "--user, or --allow-root if you mean it");
		return -1;
	}
	if (cfg->chroot_dir != NULL &&
	    (chroot(cfg->chroot_dir) != 0 || chdir("/") != 0)) {
		(void)snprintf(err, errsize, "cannot chroot to %s: %s",
		    cfg->chroot_dir, strerror(errno));
		return -1;
	}
	if (pw->pw_uid == 0)
		return 0;
	if (setgroups(1, &pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		(void)snprintf(err, errsize, "cannot become %s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || seteuid(0) == 0) {
		(void)snprintf(err, errsize, "root could be regained after "
		    "becoming %s", name);
		return -1;
	}
	return 0;
}
