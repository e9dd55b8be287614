/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The answers of the --status listener: GET /metrics, the Prometheus text
 * exposition of metrics.h's counters, and GET / (or /?text), the page of
 * the clients served now.  Nothing else is served there, and each
 * connection gets one answer.
 */
#ifndef FORKHTTPD_STATUS_H
#define FORKHTTPD_STATUS_H

#include "conf.h"
#include "http.h"
#include "respond.h"

#define STATUS_BODY_BYTES	65536		/* first try at a body */
#define STATUS_MAX_BODY_BYTES	(8 << 20)	/* the largest page */

/*
 * Prepare the reply to req, a request to the status listener, as
 * respond_request() does for the site.
 */
void	status_respond(struct reply *r, const struct http_request *req,
	    const struct config *cfg, const char *date);

#endif /* FORKHTTPD_STATUS_H */
