#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# abuse.sh again, every check over HTTPS (TRANSPORT=tls in e2e-lib.sh).
TRANSPORT=tls
export TRANSPORT
exec sh "${SRCDIR:-$(dirname "$0")/..}/tests/abuse.sh"
