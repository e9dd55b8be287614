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
#include <limits.h>
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
#include "number.h"

#define PID_TEXT_BYTES	32
#define DEFAULT_USER	"nobody"
#define PID_OPEN	(O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)

/* /dev/null, opened before chroot: a chroot may have none */
static int devnull = -1;

int
daemon_std_fds(void)
{
	int fd;

	do {
		if ((fd = open("/dev/null", O_RDWR)) < 0)
			return -1;
	} while (fd <= STDERR_FILENO);
	(void)close(fd);
	return 0;
}

int
daemon_begin(void)
{
	int fd[2];
	unsigned char status;
	ssize_t n;
	pid_t pid;

	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return -1;
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
	int rc = 0;

	/*
	 * Never closed: a descriptor 0-2 left free would go to the next
	 * client, and a line meant for stderr into its socket.
	 */
	if (dup2(devnull, STDIN_FILENO) < 0 ||
	    dup2(devnull, STDOUT_FILENO) < 0 ||
	    dup2(devnull, STDERR_FILENO) < 0)
		rc = -1;
	(void)close(devnull);
	devnull = -1;
	say(lifeline, rc == 0 ? 0 : EXIT_STARTUP);
	return rc;
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

/*
 * The pid file is written as root: no one else may choose where.  Its
 * directory must not be writable by group or others (its owner may be
 * the user we serve as, who removes the file at exit), and each one above
 * it must be owned by root or us and be writable by them alone, or be
 * sticky (as /tmp), so no one can move a directory of ours away and put
 * another in its place.  Opens the directory (resolved, without links)
 * for the file's name.
 */
/*
 * The directory as named, not resolved: each name on the way (a link
 * too) may be changed only by whoever may write the directory holding
 * it.  Those must be root's or ours; one writable by others must be
 * sticky and the name in it root's or ours.  0, or -1 naming in bad the
 * directory that is not.
 */
static int
named_path_ok(const char *dir, char *bad, size_t badsize)
{
	char abs[PATH_MAX], cwd[PATH_MAX];
	struct stat pst, cst;
	size_t i, n;

	if (dir[0] == '/')
		n = (size_t)snprintf(abs, sizeof(abs), "%s", dir);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		n = (size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, dir);
	else
		return -1;
	if (n >= sizeof(abs))
		return -1;
	for (i = 1; i <= n; i++) {
		if (abs[i] != '/' && abs[i] != '\0')
			continue;
		/* the name abs[..i) lies in the directory before it */
		abs[i] = '\0';
		(void)snprintf(bad, badsize, "%s", abs);
		*strrchr(bad, '/') = '\0';
		if (bad[0] == '\0')
			(void)snprintf(bad, badsize, "/");
		if (stat(bad, &pst) != 0 || lstat(abs, &cst) != 0 ||
		    (pst.st_uid != 0 && pst.st_uid != geteuid()) ||
		    ((pst.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
		    (!(pst.st_mode & S_ISVTX) ||
		    (cst.st_uid != 0 && cst.st_uid != geteuid()))))
			return -1;
		abs[i] = i < n ? '/' : '\0';
	}
	return 0;
}

static int
pid_dir(const char *path, const char **base, char *err, size_t errsize)
{
	char dir[PATH_MAX], bad[PATH_MAX], *real, *p;
	const char *slash = strrchr(path, '/');
	struct stat st;
	size_t n;
	int fd, top = 1;

	*base = slash != NULL ? slash + 1 : path;
	n = slash == NULL ? 1 : slash == path ? 1 : (size_t)(slash - path);
	if (n >= sizeof(dir)) {
		(void)snprintf(err, errsize, "pid file %s: name too long", path);
		return -1;
	}
	memcpy(dir, slash == NULL ? "." : path, n);
	dir[n] = '\0';
	if (named_path_ok(dir, bad, sizeof(bad)) != 0) {
		(void)snprintf(err, errsize, "refusing pid file %s: %s may be "
		    "changed by others than root", path, bad);
		return -1;
	}
	if (**base == '\0' || (real = realpath(dir, NULL)) == NULL) {
		(void)snprintf(err, errsize, "cannot write pid file %s: %s",
		    path, **base == '\0' ? "no file name" : strerror(errno));
		return -1;
	}
	/* from the directory itself up to / */
	for (p = real + strlen(real);; top = 0) {
		if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode) ||
		    (!top && st.st_uid != 0 && st.st_uid != geteuid()) ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
		    (top || !(st.st_mode & S_ISVTX)))) {
			(void)snprintf(err, errsize, "refusing pid file %s: "
			    "%s may be changed by others than root", path,
			    real[0] != '\0' ? real : "/");
			free(real);
			return -1;
		}
		while (p > real && *p != '/')
			p--;
		if (p == real) {
			if (real[1] == '\0' || real[0] != '/')
				break;
			real[1] = '\0';	/* last, / itself */
			p = real + 1;
			continue;
		}
		*p = '\0';
	}
	free(real);
	if ((real = realpath(dir, NULL)) == NULL ||
	    (fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		(void)snprintf(err, errsize, "cannot write pid file %s: %s",
		    path, strerror(errno));
		free(real);
		return -1;
	}
	free(real);
	return fd;
}

/* The pid in the file, or 0; a FIFO or a link there is not read. */
static pid_t
read_pid_at(int dfd, const char *name)
{
	char buf[PID_TEXT_BYTES];
	struct stat st;
	long long v;
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | PID_OPEN)) < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)close(fd);
		return 0;
	}
	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	(void)close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (number_parse_str(buf, 1, 0x7fffffff, &v) != 0)
		return 0;
	return (pid_t)v;
}

int
daemon_pidfile(const char *path, pid_t replacing, char *err, size_t errsize)
{
	char buf[PID_TEXT_BYTES];
	const char *base;
	struct stat st;
	pid_t old;
	int dfd, fd, n;
	ssize_t w;

	if ((dfd = pid_dir(path, &base, err, errsize)) < 0)
		return -1;
	if ((old = read_pid_at(dfd, base)) != 0 && old != getpid() &&
	    old != replacing && live_forkhttpd(old)) {
		(void)snprintf(err, errsize, "%s names forkhttpd pid %ld, which "
		    "is still running", path, (long)old);
		(void)close(dfd);
		return -1;
	}
	/*
	 * A new file, never one found there: whoever owns the directory
	 * cannot have root write through a link or into another file.
	 */
	if (unlinkat(dfd, base, 0) != 0 && errno != ENOENT)
		fd = -1;
	else
		fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | PID_OPEN,
		    0644);
	(void)close(dfd);
	if (fd < 0) {
		(void)snprintf(err, errsize, "cannot write pid file %s: %s",
		    path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)snprintf(err, errsize, "cannot write pid file %s: not a "
		    "regular file", path);
		(void)close(fd);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	do
		w = write(fd, buf, (size_t)n);
	while (w < 0 && errno == EINTR);
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
	if (path != NULL && read_pid_at(AT_FDCWD, path) == getpid())
		(void)unlink(path);
}

uid_t
daemon_user_uid(const struct config *cfg)
{
	struct passwd *pw;

	if (geteuid() != 0 ||
	    (pw = getpwnam(cfg->user ? cfg->user : DEFAULT_USER)) == NULL)
		return (uid_t)-1;
	return pw->pw_uid;
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
