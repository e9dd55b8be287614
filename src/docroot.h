/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The document root: its descriptor, opened once at start-up, and every
 * open beneath it.  No symbolic link may lead a request out of the root,
 * whichever way the kernel lets us enforce that: openat2(RESOLVE_BENEATH),
 * or a walk one component at a time on held descriptors.  Both answer
 * every case alike.
 */
#ifndef FORKHTTPD_DOCROOT_H
#define FORKHTTPD_DOCROOT_H

#include <stddef.h>
#include <sys/stat.h>

#include "conf.h"

/* How docroot_open() keeps requests inside the root (cfg->confine). */
enum docroot_confine {
	DOCROOT_OPENAT2,	/* the kernel: openat2(RESOLVE_BENEATH) */
	DOCROOT_WALK,		/* by hand: a component walk, no link followed */
	DOCROOT_FOLLOW		/* --follow-symlinks: not confined to the root */
};

/*
 * At start-up, before the privileges are dropped (the root may lie above
 * a chroot): open cfg->docroot and choose the confinement.  openat2() is
 * tried once; where it is missing or refused, or the environment sets
 * FORKHTTPD_CONFINE=walk (for tests), the walk serves.  0, or -1 with a
 * one-line reason in err.
 */
int	docroot_open_root(struct config *cfg, char *err, size_t errsize);

/*
 * After the privileges are dropped, as the user that serves: read the
 * site's error pages, named as nginx's error_page directives usually name
 * them: NNN.html for each error status forkhttpd sends (404.html,
 * 403.html, 500.html, 503.html...), and 50x.html for any 5xx that has no
 * page of its own.  Each is opened as any request is; one that cannot be
 * used (a link that leaves the root, not a regular file, too large) is
 * left out with a warning, and the built-in page serves.
 */
void	docroot_load_pages(struct config *cfg);

/* The site's page for status, or NULL: then the built-in one serves. */
const struct error_page *docroot_error_page(const struct config *cfg,
	    int status);

/* A line for the start-up log: how requests are confined. */
const char *docroot_confinement(const struct config *cfg);

/*
 * openat() of the relative name beneath the root, where no symbolic link
 * leads out: a link that does (or that is absolute) fails with EXDEV.  The
 * descriptor, or -1 with errno.
 */
int	docroot_open(const struct config *cfg, const char *name, int flags);

/*
 * The same beneath root, a directory opened with docroot_open_site() (a
 * --vhost host's): no link leads out of it.
 */
int	docroot_open_at(const struct config *cfg, int root, const char *name,
	    int flags);

/*
 * --vhost: open the directory name beneath the document root as a root
 * for docroot_open_at() (searched, never read: O_PATH where there is
 * one).  A link may name it, as long as it stays beneath the root (an
 * alias "www.example.org -> example.org").  The descriptor, or -1.
 */
int	docroot_open_site(const struct config *cfg, const char *name);

/*
 * What a listing shows of entry in the directory name (open as dfd)
 * beneath root (cfg->docroot_fd, or a site's): a link as what it leads
 * to.  0, or -1 when it is gone, dangling or leads out of root.
 */
int	docroot_entry_stat(const struct config *cfg, int root, const char *name,
	    const char *entry, int dfd, struct stat *st);

/* At exit: release the root's descriptor and the pages. */
void	docroot_close(struct config *cfg);

#endif /* FORKHTTPD_DOCROOT_H */
