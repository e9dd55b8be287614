/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault injection, for the process-model comparison only.  Compiled into
 * the test binary tests/forkhttpd-faults and into builds configured with
 * --enable-fault-injection; never into a default build.
 */
#ifndef FORKHTTPD_FAULT_H
#define FORKHTTPD_FAULT_H

#include "http.h"

#define FAULT_PREFIX	"/__fault/"

/*
 * If req's path starts with FAULT_PREFIX, do the fault it names and return
 * the status to answer with (when the fault lets the worker go on);
 * otherwise return 0 and do nothing.
 */
int	fault_inject(const struct http_request *req);

#endif /* FORKHTTPD_FAULT_H */
