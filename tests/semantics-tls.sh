#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# semantics.sh again, every check over HTTPS (TRANSPORT=tls in e2e-lib.sh).
TRANSPORT=tls
export TRANSPORT
exec sh "${SRCDIR:-$(dirname "$0")/..}/tests/semantics.sh"
