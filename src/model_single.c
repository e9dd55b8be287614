/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The parent serves each client itself, one at a time: the first server of
 * every textbook, kept for debugging (gdb, strace and valgrind see one
 * process).  One slow client holds up everyone else until its timeout.
 */
#include <config.h>

#include "model.h"

struct single_ctx {
	const struct config	*cfg;
	const struct conn_ops	*ops;
};

static void
dispatch(const struct accepted *a, void *arg)
{
	const struct single_ctx *ctx = arg;

	ctx->ops->serve(a, ctx->cfg, NULL);
}

static int
serve_forever(struct listeners *l, const struct config *cfg,
    const struct conn_ops *ops)
{
	struct single_ctx ctx = { cfg, ops };
	int rc;

	/* the client being served, if any, finished before we got here */
	rc = model_accept_loop(l, dispatch, &ctx, ops, cfg);
	listen_close(l);
	return rc;
}

const struct model model_single = { "single", serve_forever, NULL };
