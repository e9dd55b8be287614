#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# proxy.sh again over HTTPS (TRANSPORT=tls in e2e-lib.sh): the PROXY
# header comes before the TLS handshake.
TRANSPORT=tls
export TRANSPORT
exec sh "${SRCDIR:-$(dirname "$0")/..}/tests/proxy.sh"
