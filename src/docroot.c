/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every open beneath the document root.  Where the kernel has openat2(),
 * RESOLVE_BENEATH confines it.  Elsewhere walk_open() resolves the name one
 * component at a time, each opened with O_NOFOLLOW relative to the held
 * descriptor of the directory before it: a directory swapped for a link
 * between two steps fails the next open instead of leading it out.  Links
 * are read from their directory's descriptor and followed by hand; an
 * absolute one, or one that climbs above the root, fails with EXDEV, as
 * RESOLVE_BENEATH fails it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if HAVE_DECL_SYS_OPENAT2
#include <sys/syscall.h>
#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#else
/* the kernel's interface, for a C library without its headers (musl) */
#include <stdint.h>
struct open_how {
	uint64_t	flags;
	uint64_t	mode;
	uint64_t	resolve;
};
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_BENEATH		0x08
#endif
#endif

#include "docroot.h"
#include "log.h"

#define SERVER_ERRORS_NAME "50x.html"	/* nginx's default error_page */
#define MAX_LINKS	40	/* links followed in one name, as the kernel */
#define OPENAT2_TRIES	4	/* EAGAIN: a rename raced a ".." */

/* A directory held during the walk is searched, never read. */
#if defined(O_PATH)
#define WALK_DIR	(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#elif defined(O_SEARCH)
#define WALK_DIR	(O_SEARCH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#else
#define WALK_DIR	(O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#endif

#ifndef NAME_MAX
#define NAME_MAX	255
#endif

/* openat2(RESOLVE_BENEATH), or -1 with ENOSYS where there is none. */
static int
openat2_beneath(int dirfd, const char *name, int flags)
{
#if HAVE_DECL_SYS_OPENAT2
	struct open_how how;
	int fd, tries = 0;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)flags;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	do
		fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < OPENAT2_TRIES);
	return fd;
#else
	(void)dirfd;
	(void)name;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

/* Where the walk stands: a directory, held, and its name from the root. */
struct walk {
	int		 root;		/* the document root's descriptor */
	int		 dir;		/* the directory reached: root or ours */
	char		 at[MAX_PATH_BYTES];	/* its name, no links in it */
	size_t		 at_len;
};

/* Hold fd as the directory reached, closing the one before. */
static void
walk_hold(struct walk *w, int fd)
{
	if (w->dir != w->root)
		(void)close(w->dir);
	w->dir = fd;
}

/*
 * "..": no descriptor names its parent safely (the directory may have been
 * moved out of the root meanwhile), so walk again from the root to the
 * parent, by name, each step with O_NOFOLLOW.
 */
static int
walk_up(struct walk *w)
{
	char comp[NAME_MAX + 1];
	const char *p;
	size_t n;
	int fd;

	if (w->at_len == 0) {
		errno = EXDEV;
		return -1;
	}
	while (w->at_len > 0 && w->at[w->at_len - 1] != '/')
		w->at_len--;
	if (w->at_len > 0)
		w->at_len--;
	w->at[w->at_len] = '\0';
	walk_hold(w, w->root);
	for (p = w->at; *p != '\0'; p += n + (p[n] == '/')) {
		n = strcspn(p, "/");
		memcpy(comp, p, n);
		comp[n] = '\0';
		if ((fd = openat(w->dir, comp, WALK_DIR)) < 0)
			return -1;
		walk_hold(w, fd);
	}
	return 0;
}

/* Step into the directory comp, opened as fd. */
static int
walk_down(struct walk *w, const char *comp, size_t n, int fd)
{
	if (w->at_len + n + 2 > sizeof(w->at)) {
		(void)close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	if (w->at_len > 0)
		w->at[w->at_len++] = '/';
	memcpy(w->at + w->at_len, comp, n + 1);
	w->at_len += n;
	walk_hold(w, fd);
	return 0;
}

/*
 * The portable confinement: resolve name by hand, no link followed by the
 * kernel.  Two descriptors at most are open at any time.
 */
static int
walk_open(int root, const char *name, int flags)
{
	char todo[MAX_PATH_BYTES], next[MAX_PATH_BYTES];
	char target[MAX_PATH_BYTES], comp[NAME_MAX + 1];
	struct walk w;
	const char *p;
	ssize_t tn;
	size_t n;
	int fd = -1, e, last, slash, links = 0;

	w.root = w.dir = root;
	w.at[0] = '\0';
	w.at_len = 0;
	/* as RESOLVE_BENEATH: an absolute name leaves, an empty one is none */
	if (name[0] == '/' || name[0] == '\0') {
		errno = name[0] == '/' ? EXDEV : ENOENT;
		return -1;
	}
	if (snprintf(todo, sizeof(todo), "%s", name) >= (int)sizeof(todo))
		goto toolong;
	for (p = todo;;) {
		while (*p == '/')
			p++;
		if (*p == '\0') {	/* the name ends at a directory */
			fd = openat(w.dir, ".", flags);
			break;
		}
		if ((n = strcspn(p, "/")) > NAME_MAX)
			goto toolong;
		memcpy(comp, p, n);
		comp[n] = '\0';
		p += n;
		slash = *p == '/';
		while (*p == '/')
			p++;
		last = *p == '\0';
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (walk_up(&w) != 0)
				break;
			continue;
		}
		fd = openat(w.dir, comp, !last ? WALK_DIR :
		    flags | O_NOFOLLOW | (slash ? O_DIRECTORY : 0));
		if (fd >= 0 && last)
			break;
		if (fd >= 0) {
			if (walk_down(&w, comp, n, fd) != 0) {
				fd = -1;
				break;
			}
			fd = -1;
			continue;
		}
		/* is it a link?  Then resolve its target from here */
		e = errno;
		if ((tn = readlinkat(w.dir, comp, target, sizeof(target))) < 0) {
			errno = e;
			break;
		}
		if ((size_t)tn >= sizeof(target))
			goto toolong;
		target[tn] = '\0';
		if (++links > MAX_LINKS) {
			errno = ELOOP;
			break;
		}
		if (target[0] == '/') {
			errno = EXDEV;
			break;
		}
		/* a slash after the link stays: "link/" must be a directory */
		if (snprintf(next, sizeof(next), "%s%s%s", target,
		    *p != '\0' || slash ? "/" : "", p) >= (int)sizeof(next))
			goto toolong;
		memcpy(todo, next, strlen(next) + 1);
		p = todo;
	}
	e = errno;
	walk_hold(&w, root);
	errno = e;
	return fd;
toolong:
	walk_hold(&w, root);
	errno = ENAMETOOLONG;
	return -1;
}

int
docroot_open_at(const struct config *cfg, int root, const char *name,
    int flags)
{
	switch (cfg->confine) {
	case DOCROOT_OPENAT2:
		return openat2_beneath(root, name, flags);
	case DOCROOT_WALK:
		return walk_open(root, name, flags);
	default:
		return openat(root, name, flags);
	}
}

int
docroot_open(const struct config *cfg, const char *name, int flags)
{
	return docroot_open_at(cfg, cfg->docroot_fd, name, flags);
}

int
docroot_open_site(const struct config *cfg, const char *name)
{
	return docroot_open_at(cfg, cfg->docroot_fd, name, WALK_DIR &
	    ~O_NOFOLLOW);
}

int
docroot_entry_stat(const struct config *cfg, int root, const char *name,
    const char *entry, int dfd, struct stat *st)
{
	char rel[MAX_PATH_BYTES];
	int fd, n, rc;

	if (fstatat(dfd, entry, st, AT_SYMLINK_NOFOLLOW) != 0)
		return -1;
	if (!S_ISLNK(st->st_mode))
		return 0;
	n = strcmp(name, ".") == 0 ?
	    snprintf(rel, sizeof(rel), "%s", entry) :
	    snprintf(rel, sizeof(rel), "%s/%s", name, entry);
	if (n < 0 || (size_t)n >= sizeof(rel) ||
	    (fd = docroot_open_at(cfg, root, rel, O_RDONLY | O_CLOEXEC |
	    O_NONBLOCK | O_NOCTTY)) < 0)
		return -1;
	rc = fstat(fd, st);
	(void)close(fd);
	return rc;
}

int
docroot_open_root(struct config *cfg, char *err, size_t errsize)
{
	const char *force = getenv("FORKHTTPD_CONFINE");
	int fd;

	cfg->error_page_count = 0;
	cfg->docroot_fd = open(cfg->docroot, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	if (cfg->docroot_fd < 0) {
		(void)snprintf(err, errsize, "cannot open document root %s: %s",
		    cfg->docroot, strerror(errno));
		return -1;
	}
	if (cfg->follow_symlinks) {
		cfg->confine = DOCROOT_FOLLOW;
		return 0;
	}
	/*
	 * Kernels before 5.6 lack openat2(), and some sandboxes' seccomp
	 * filters refuse it with EPERM: try it once, here.
	 */
	cfg->confine = DOCROOT_WALK;
	if (force != NULL && strcmp(force, "walk") == 0)
		return 0;
	if ((fd = openat2_beneath(cfg->docroot_fd, ".", O_RDONLY | O_CLOEXEC |
	    O_DIRECTORY)) >= 0) {
		cfg->confine = DOCROOT_OPENAT2;
		(void)close(fd);
	}
	return 0;
}

const char *
docroot_confinement(const struct config *cfg)
{
	switch (cfg->confine) {
	case DOCROOT_OPENAT2:
		return "requests confined to the document root by "
		    "openat2(RESOLVE_BENEATH)";
	case DOCROOT_WALK:
		return "requests confined to the document root by a walk on "
		    "held descriptors (no openat2 here)";
	default:
		return "--follow-symlinks: links may lead out of the document "
		    "root";
	}
}

/* Read the whole of fd, up to size bytes; the length, or -1. */
static ssize_t
read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * Read the site's page name into *body and *len, opened as a request's
 * file is; a page that cannot be used is left out with a warning.  0, or
 * -1 when there is none to use.
 */
static int
load_page(const struct config *cfg, const char *name, const char **body,
    size_t *len)
{
	struct stat st;
	char *page;
	ssize_t n;
	int fd;

	fd = docroot_open(cfg, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	    O_NOCTTY);
	if (fd < 0) {
		if (errno == EXDEV)
			log_warnx("ignoring %s: it is a link that leads out "
			    "of the document root", name);
		else if (errno != ENOENT)
			log_warn("ignoring %s", name);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_ERROR_PAGE_BYTES) {
		log_warnx("ignoring %s: not a regular file of at most %d "
		    "bytes", name, MAX_ERROR_PAGE_BYTES);
		(void)close(fd);
		return -1;
	}
	if ((page = malloc((size_t)st.st_size + 1)) == NULL) {
		log_warn("ignoring %s", name);
		(void)close(fd);
		return -1;
	}
	n = read_all(fd, page, (size_t)st.st_size);
	(void)close(fd);
	if (n < 0) {
		log_warn("ignoring %s", name);
		free(page);
		return -1;
	}
	*body = page;
	*len = (size_t)n;
	return 0;
}

void
docroot_load_pages(struct config *cfg)
{
	static const int statuses[MAX_ERROR_PAGES - 1] = {
		400, 401, 403, 404, 405, 408, 412, 413, 414, 416, 421, 431,
		500, 501, 503, 505
	};
	struct error_page *p;
	char name[16];
	size_t i;

	cfg->error_page_count = 0;
	for (i = 0; i <= sizeof(statuses) / sizeof(statuses[0]); i++) {
		p = &cfg->error_pages[cfg->error_page_count];
		p->status = i < sizeof(statuses) / sizeof(statuses[0]) ?
		    statuses[i] : 0;
		if (p->status != 0)
			(void)snprintf(name, sizeof(name), "%d.html",
			    p->status);
		else
			(void)snprintf(name, sizeof(name), "%s",
			    SERVER_ERRORS_NAME);
		if (load_page(cfg, name, &p->body, &p->len) == 0)
			cfg->error_page_count++;
	}
}

const struct error_page *
docroot_error_page(const struct config *cfg, int status)
{
	const struct error_page *any5xx = NULL;
	int i;

	for (i = 0; i < cfg->error_page_count; i++) {
		if (cfg->error_pages[i].status == status)
			return &cfg->error_pages[i];
		if (cfg->error_pages[i].status == 0)
			any5xx = &cfg->error_pages[i];
	}
	return status >= 500 && status <= 599 ? any5xx : NULL;
}

void
docroot_close(struct config *cfg)
{
	int i;

	for (i = 0; i < cfg->error_page_count; i++)
		free((char *)cfg->error_pages[i].body);
	cfg->error_page_count = 0;
	if (cfg->docroot_fd >= 0)
		(void)close(cfg->docroot_fd);
	cfg->docroot_fd = -1;
}
