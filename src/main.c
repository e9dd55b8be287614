/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The start-up sequence and nothing else: options, document root,
 * listeners (may need root), logs, detach, pid file, chroot and privileges,
 * the site's pages (as the serving user), then the model's accept loop
 * until SIGTERM or SIGINT.  Everything a child needs is prepared here,
 * before the first fork.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "daemon.h"
#include "docroot.h"
#include "fd.h"
#include "fcache.h"
#include "listen.h"
#include "log.h"
#include "model.h"
#include "options.h"
#include "signals.h"

#define MAX_ERROR_BYTES	512

static void
announce(const struct listeners *l, const struct config *cfg,
    const struct model *m)
{
	char where[128];
	size_t i;

	for (i = 0; i < l->n; i++) {
		listen_describe(l->fd[i], where, sizeof(where));
		log_warnx("listening on %s, serving %s (%s model)", where,
		    cfg->docroot, m->name);
	}
	log_warnx("%s", docroot_confinement(cfg));
}

static void
release(struct config *cfg)
{
	fcache_flush();
	docroot_close(cfg);
}

/* -I: the connection inetd accepted is on standard input. */
static int
serve_inetd(const struct config *cfg)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);

	if (getpeername(STDIN_FILENO, (struct sockaddr *)&peer, &len) != 0) {
		log_warn("standard input is not a connected socket");
		return EXIT_STARTUP;
	}
	if (fd_nonblock_cloexec(STDIN_FILENO) != 0) {
		log_warn("cannot make standard input non-blocking");
		return EXIT_STARTUP;
	}
	conn_serve(STDIN_FILENO, &peer, cfg, NULL);
	return EXIT_SUCCESS;
}

static int
open_listeners(struct listeners *l, const struct config *cfg, char *err,
    size_t errsize)
{
	int got = listen_inherit(l);

	if (got < 0) {
		(void)snprintf(err, errsize, "cannot use the sockets systemd "
		    "passed");
		return -1;
	}
	return got > 0 ? 0 : listen_open(l, cfg, err, errsize);
}

int
main(int argc, char *argv[])
{
	struct config cfg;
	struct listeners l = { .n = 0 };
	const struct model *m;
	const char *model_name;
	char err[MAX_ERROR_BYTES];
	int rc, lifeline = -1;

	/* 0-2 open before anything else: no socket or log may take them */
	if (daemon_std_fds() != 0)
		return EXIT_STARTUP;
	switch (options_parse(argc, argv, &cfg, &model_name)) {
	case OPTIONS_EXIT:
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_STARTUP;
	case OPTIONS_USAGE:
		return EXIT_USAGE;
	}
	/* options.c knows no models: -m is looked up here */
	if ((m = model_by_name(model_name)) == NULL || m->unavailable != NULL) {
		(void)options_bad_model(model_name, m != NULL ?
		    m->unavailable : NULL);
		return EXIT_USAGE;
	}
	/* read the time zone once; children and threads inherit it */
	tzset();
	if (cfg.inetd)		/* stdout and stderr are the client */
		log_use_syslog();

	if (docroot_open_root(&cfg, err, sizeof(err)) != 0 ||
	    (!cfg.inetd && open_listeners(&l, &cfg, err, sizeof(err)) != 0) ||
	    log_open_access(&cfg, cfg.chroot_dir, err, sizeof(err)) != 0)
		goto fail;
	if (!cfg.foreground && !cfg.inetd) {
		if ((lifeline = daemon_begin()) < 0) {
			log_warn("cannot detach");
			goto fail_quiet;
		}
	}
	if ((cfg.pidfile != NULL && !cfg.inetd &&
	    daemon_pidfile(cfg.pidfile, err, sizeof(err)) != 0) ||
	    daemon_privileges(&cfg, err, sizeof(err)) != 0)
		goto fail;
	/* the site's pages are read as the user that serves, never as root */
	docroot_load_pages(&cfg);
	if (cfg.inetd) {
		rc = serve_inetd(&cfg);
		release(&cfg);
		return rc;
	}
	if (signals_init() != 0) {
		log_warn("cannot set up signals");
		goto fail_quiet;
	}
	if (lifeline >= 0)
		log_use_syslog();
	announce(&l, &cfg, m);
	if (lifeline >= 0)
		(void)daemon_ready(lifeline);

	rc = m->serve_forever(&l, &cfg, &conn_ops);
	log_warnx("stopped");
	daemon_pidfile_remove(cfg.pidfile);
	if (rc == MODEL_ABANDONED)	/* threads still use cfg: just go */
		return EXIT_SUCCESS;
	release(&cfg);
	return rc == 0 ? EXIT_SUCCESS : EXIT_STARTUP;
fail:
	log_warnx("%s", err);
fail_quiet:
	daemon_fail(lifeline, EXIT_STARTUP);
	listen_close(&l);
	release(&cfg);
	return EXIT_STARTUP;
}
