/* SPDX-License-Identifier: BSD-2-Clause */
/* The command line, parsed once into struct config. */
#ifndef FORKHTTPD_OPTIONS_H
#define FORKHTTPD_OPTIONS_H

#include "conf.h"

#define OPTIONS_RUN	0	/* go on and serve */
#define OPTIONS_EXIT	1	/* --help or --version was printed */
#define OPTIONS_USAGE	2	/* bad usage, reported on stderr */

/* Exit statuses, as documented in forkhttpd(8). */
#define EXIT_STARTUP	1	/* could not start: bind, docroot, ... */
#define EXIT_USAGE	2	/* bad command line */

/*
 * Fill cfg with defaults, then with what argv says.  --help and --version
 * print to stdout; usage errors print one line to stderr.  Returns one of
 * the OPTIONS_ values.  model_name receives the -m argument.
 */
int	options_parse(int argc, char *argv[], struct config *cfg,
	    const char **model_name);

#endif /* FORKHTTPD_OPTIONS_H */
