/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rawhttp: the end-to-end tests' client.  Sends standard input, byte for
 * byte, to 127.0.0.1:PORT and copies whatever comes back to standard output.
 *
 *   rawhttp [-a ADDR] [-b ADDR] [-d MS] [-g MS] [-n N] [-p MS] [-r BYTES]
 *           [-s] [-t MS] [-w MS] PORT
 *
 *   -a ADDR   connect to ADDR (an IPv4 or IPv6 literal) instead of 127.0.0.1
 *   -b ADDR   connect from ADDR (an IPv4 literal, such as 127.0.0.2): another
 *             client address on the loopback interface
 *   -d MS     with -g: after the first request's answer, wait MS
 *             milliseconds more before sending the rest
 *   -g MS     send each request head separately (split after every empty
 *             line), reading for MS milliseconds in between: keep-alive
 *   -n N      open N connections at once, send the input on each, and print
 *             the first line of each answer ("none" if there was none)
 *   -p MS     wait MS milliseconds before reading anything (a stalled
 *             reader)
 *   -r BYTES  close the connection once BYTES have been received
 *   -s        shut down the sending side once everything is sent
 *   -t MS     give up MS after the last byte received (default 3000)
 *   -w MS     send one byte every MS milliseconds (a slow client)
 *
 * Exit status: 0 when the server closed the connection (or -r was
 * reached), 3 when rawhttp gave up waiting, 1 on any other failure.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_INPUT_BYTES	(1 << 20)

static long long received;
static long long stop_after = -1;
static const char *from;	/* -b */

static int
usage(void)
{
	fprintf(stderr, "usage: rawhttp [-a ADDR] [-b ADDR] [-d MS] [-g MS] "
	    "[-n N] [-p MS] [-r BYTES] [-s] [-t MS] [-w MS] PORT\n");
	return 1;
}

static int
connect_to(const char *addr, int port)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	int fd;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, addr, &s4.sin_addr) == 1) {
		struct sockaddr_in b4;

		s4.sin_family = AF_INET;
		s4.sin_port = htons((unsigned short)port);
		memset(&b4, 0, sizeof(b4));
		b4.sin_family = AF_INET;
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    (from != NULL && (inet_pton(AF_INET, from,
		    &b4.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&b4, sizeof(b4)) != 0)) ||
		    connect(fd, (struct sockaddr *)&s4, sizeof(s4)) != 0)
			return -1;
		return fd;
	}
	if (inet_pton(AF_INET6, addr, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons((unsigned short)port);
		if ((fd = socket(AF_INET6, SOCK_STREAM, 0)) < 0 ||
		    connect(fd, (struct sockaddr *)&s6, sizeof(s6)) != 0)
			return -1;
		return fd;
	}
	errno = EINVAL;
	return -1;
}

/* Copy what arrives within ms to stdout: 0 timeout, 1 closed, -1 error. */
static int
drain(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[65536];
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&p, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == ECONNRESET)
			return 1;
		if (n < 0)
			return errno == EINTR ? 0 : -1;
		if (n == 0)
			return 1;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -1;
		received += n;
		if (stop_after >= 0 && received >= stop_after)
			return 1;
	}
}

static int
send_all(int fd, const char *p, size_t n, int byte_ms)
{
	ssize_t w;
	size_t step;

	while (n > 0) {
		step = byte_ms > 0 ? 1 : n;
		w = send(fd, p, step, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
		if (byte_ms > 0 && drain(fd, byte_ms) != 0)
			return -1;
	}
	return 0;
}

/*
 * -n: n connections, the same request on each; every answer's first line,
 * in connection order.  Returns 0 when every connection ended in time.
 */
static int
burst(const char *addr, int port, int n, const char *in, size_t len,
    int wait_ms)
{
	struct rlimit rl;
	struct pollfd *p = calloc((size_t)n, sizeof(*p));
	char (*first)[64] = calloc((size_t)n, sizeof(*first));
	size_t *got = calloc((size_t)n, sizeof(*got));
	char buf[4096];
	int i, open_n = 0, r, rc = 0;
	ssize_t k;

	if (p == NULL || first == NULL || got == NULL)
		return 1;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 0; i < n; i++) {
		p[i].fd = connect_to(addr, port);
		p[i].events = POLLIN;
		if (p[i].fd < 0)
			continue;
		open_n++;
		if (send(p[i].fd, in, len, MSG_NOSIGNAL) < 0) {
			(void)close(p[i].fd);
			p[i].fd = -1;
			open_n--;
		}
	}
	while (open_n > 0) {
		r = poll(p, (nfds_t)n, wait_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = 3;
			break;
		}
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			k = read(p[i].fd, buf, sizeof(buf));
			if (k > 0 && got[i] < sizeof(first[i]) - 1) {
				size_t c = (size_t)k;

				if (c > sizeof(first[i]) - 1 - got[i])
					c = sizeof(first[i]) - 1 - got[i];
				memcpy(first[i] + got[i], buf, c);
				got[i] += c;
			}
			if (k <= 0) {
				(void)close(p[i].fd);
				p[i].fd = -1;
				open_n--;
			}
		}
	}
	for (i = 0; i < n; i++) {
		char *eol = strpbrk(first[i], "\r\n");

		if (eol != NULL)
			*eol = '\0';
		printf("%s\n", got[i] > 0 ? first[i] : "none");
		if (p[i].fd >= 0)
			(void)close(p[i].fd);
	}
	free(p);
	free(first);
	free(got);
	return rc;
}

int
main(int argc, char *argv[])
{
	const char *addr = "127.0.0.1";
	int ch, gap = -1, shut = 0, wait_ms = 3000, byte_ms = 0, fd, r;
	int conns = 0, pause_ms = 0, delay_ms = 0;
	char *in, *p, *end, *cut;
	size_t len = 0;
	ssize_t n;

	while ((ch = getopt(argc, argv, "a:b:d:g:n:p:r:st:w:")) != -1) {
		switch (ch) {
		case 'a': addr = optarg; break;
		case 'b': from = optarg; break;
		case 'd': delay_ms = atoi(optarg); break;
		case 'g': gap = atoi(optarg); break;
		case 'n': conns = atoi(optarg); break;
		case 'p': pause_ms = atoi(optarg); break;
		case 'r': stop_after = atoll(optarg); break;
		case 's': shut = 1; break;
		case 't': wait_ms = atoi(optarg); break;
		case 'w': byte_ms = atoi(optarg); break;
		default: return usage();
		}
	}
	if (optind + 1 != argc)
		return usage();
	if ((in = malloc(MAX_INPUT_BYTES)) == NULL)
		return 1;
	while ((n = read(STDIN_FILENO, in + len, MAX_INPUT_BYTES - len)) > 0)
		len += (size_t)n;
	if (conns > 0)
		return burst(addr, atoi(argv[optind]), conns, in, len, wait_ms);
	if ((fd = connect_to(addr, atoi(argv[optind]))) < 0) {
		perror("rawhttp: connect");
		return 1;
	}
	p = in;
	end = in + len;
	while (p < end) {
		cut = end;
		if (gap >= 0 && (cut = memmem(p, (size_t)(end - p), "\r\n\r\n",
		    4)) != NULL)
			cut += 4;
		else
			cut = end;
		if (send_all(fd, p, (size_t)(cut - p), byte_ms) != 0)
			break;
		p = cut;
		if (p < end && drain(fd, gap) != 0)
			break;
		if (p < end && delay_ms > 0 && drain(fd, delay_ms) != 0)
			break;
		delay_ms = 0;
	}
	if (shut)
		(void)shutdown(fd, SHUT_WR);
	if (pause_ms > 0)
		(void)poll(NULL, 0, pause_ms);
	r = drain(fd, wait_ms);
	(void)fflush(stdout);
	free(in);
	(void)close(fd);
	return r == 1 ? 0 : r == 0 ? 3 : 1;
}
