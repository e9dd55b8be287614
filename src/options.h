/* SPDX-License-Identifier: BSD-2-Clause */
/* The command line, parsed once into struct config. */
#ifndef FORKHTTPD_OPTIONS_H
#define FORKHTTPD_OPTIONS_H

#include "conf.h"

#define OPTIONS_RUN	0	/* go on and serve */
#define OPTIONS_EXIT	1	/* --help or --version was printed */
#define OPTIONS_USAGE	2	/* bad usage, reported on stderr */

/*
 * Fill cfg with defaults, then with what argv says.  --help and --version
 * print to stdout; usage errors print one line to stderr.  Returns one of
 * the OPTIONS_ values.  model_name receives the -m argument, which the
 * caller looks up: options.c does not know the models.
 */
int	options_parse(int argc, char *argv[], struct config *cfg,
	    const char **model_name);

/*
 * Say on stderr, as options_parse() says other usage errors, that -m named
 * no model, or (unavailable not NULL) one this build lacks, and why.
 * Returns OPTIONS_USAGE.
 */
int	options_bad_model(const char *name, const char *unavailable);

#endif /* FORKHTTPD_OPTIONS_H */
