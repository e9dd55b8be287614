/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sockrun: start a program the way inetd or systemd would, for the tests.
 *
 *   sockrun inetd PORTFILE PROGRAM [ARG]...
 *	listen on 127.0.0.1 (a free port, written to PORTFILE), accept one
 *	connection and run PROGRAM with it as standard input and output, as
 *	inetd's "nowait" does; then wait for it and exit with its status.
 *   sockrun systemd PORTFILE PROGRAM [ARG]...
 *	listen on 127.0.0.1 and run PROGRAM with the listening socket as
 *	descriptor 3 and LISTEN_FDS=1, LISTEN_PID set, as socket activation
 *	does (sockrun execs it, so the pid is the same).
 *   sockrun unix PATH
 *	leave a Unix-domain socket bound at PATH, as a program a content
 *	author runs could, and exit.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int
listener(const char *portfile)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	FILE *f;
	int fd;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	if ((f = fopen(portfile, "w")) == NULL)
		return -1;
	fprintf(f, "%d\n", ntohs(a.sin_port));
	if (fclose(f) != 0)
		return -1;
	return fd;
}

static int
unix_socket(const char *path)
{
	struct sockaddr_un a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a.sun_path) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return 1;
	memcpy(a.sun_path, path, strlen(path) + 1);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		perror("sockrun: bind");
		return 1;
	}
	return close(fd) == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	char buf[32];
	int lfd, fd, status;
	pid_t pid;

	if (argc == 3 && strcmp(argv[1], "unix") == 0)
		return unix_socket(argv[2]);
	if (argc < 4) {
		fprintf(stderr, "usage: sockrun inetd|systemd PORTFILE "
		    "PROGRAM [ARG]...\n       sockrun unix PATH\n");
		return 2;
	}
	if ((lfd = listener(argv[2])) < 0) {
		perror("sockrun");
		return 1;
	}
	if (strcmp(argv[1], "systemd") == 0) {
		if (lfd != 3 && (dup2(lfd, 3) < 0 || close(lfd) != 0))
			return 1;
		snprintf(buf, sizeof(buf), "%ld", (long)getpid());
		setenv("LISTEN_PID", buf, 1);
		setenv("LISTEN_FDS", "1", 1);
		execv(argv[3], argv + 3);
		perror("sockrun: exec");
		return 127;
	}
	if ((fd = accept(lfd, NULL, NULL)) < 0)
		return 1;
	if ((pid = fork()) == 0) {
		(void)close(lfd);
		if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
			_exit(1);
		if (fd > 1)
			(void)close(fd);
		execv(argv[3], argv + 3);
		_exit(127);
	}
	(void)close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
