#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make check-tls: the scanners administrators run, against every model's
# TLS listener, failing on any weak protocol or cipher and any known
# vulnerability.  sslscan (seconds) for both certificates: no SSL 2/3 or
# TLS 1.0/1.1, no cipher but TLS 1.3's and TLS 1.2's ECDHE with AEAD, no
# insecure renegotiation, compression or heartbleed.  testssl.sh (about
# 40 s a run) for protocols, cipher categories, forward secrecy, server
# preference and vulnerabilities: any finding rated LOW or worse fails
# (MEDIUM, HIGH and CRITICAL are the vulnerabilities; testssl.sh 3.0
# rates TLS 1.0, 1.1 and CBC suites offered as LOW).  Its certificate and
# header checks are left out: the test CA's certificates are short-lived
# and revocation-free on purpose.
# Not part of make check: several minutes, and tools it may not have.
# TESTSSL_MODELS narrows testssl.sh's runs (default: every model).
# shellcheck disable=SC2154,SC2034 # tmp, root, certs...: e2e-lib.sh

TRANSPORT=tls
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

TESTSSL=${TESTSSL:-$(command -v testssl || command -v testssl.sh)}
SSLSCAN=${SSLSCAN:-$(command -v sslscan)}
if [ -z "$TESTSSL" ] && [ -z "$SSLSCAN" ]; then
	echo "1..0 # SKIP neither sslscan nor testssl.sh is installed (Debian: apt-get install sslscan testssl.sh)"
	exit 0
fi

# sslscan_ok NAME: sslscan with SNI NAME finds nothing weak; what it
# found wrong as TAP diagnostics.
sslscan_ok() {
	"$SSLSCAN" --no-colour --sni-name="$1" "127.0.0.1:$port" \
	    > "$tmp/sslscan.$1" 2>&1 || {
		echo "# sslscan failed: $(tail -n 3 "$tmp/sslscan.$1")"
		return 1
	}
	awk '
	/^(SSLv2|SSLv3|TLSv1\.0|TLSv1\.1) +enabled/ { print "# " $0; bad = 1 }
	/^TLSv1\.[23] +enabled/ { on[$1] = 1 }
	/^(Preferred|Accepted) / {
		ciphers++
		if ($2 == "TLSv1.3")
			next
		if ($2 == "TLSv1.2" && $5 ~ /^ECDHE-(ECDSA|RSA)-/ &&
		    $5 ~ /(GCM|CHACHA20-POLY1305|CCM)/)
			next
		print "# weak: " $0
		bad = 1
	}
	/Insecure session renegotiation supported/ { print "# " $0; bad = 1 }
	/^Compression enabled/ { print "# " $0; bad = 1 }
	/ vulnerable to heartbleed/ && !/not vulnerable/ {
		print "# " $0; bad = 1
	}
	END {
		if (!on["TLSv1.2"] || !on["TLSv1.3"]) {
			print "# TLS 1.2 and 1.3 are not both enabled"
			bad = 1
		}
		if (ciphers == 0) {
			print "# no cipher found"
			bad = 1
		}
		exit bad
	}' "$tmp/sslscan.$1"
}

# testssl_ok NAME: testssl.sh with SNI NAME rates nothing LOW or worse.
testssl_ok() {
	rm -f "$tmp/testssl.csv"
	"$TESTSSL" --quiet --color 0 --warnings off --nodns none \
	    --ip 127.0.0.1 --add-ca "$certs/ca.pem" \
	    --protocols --std --fs --server-preference --vulnerable \
	    --csvfile "$tmp/testssl.csv" "$1:$port" > "$tmp/testssl.out" 2>&1
	if [ ! -s "$tmp/testssl.csv" ]; then
		echo "# testssl.sh wrote no findings: $(tail -n 3 "$tmp/testssl.out")"
		return 1
	fi
	# "id","fqdn/ip","port","severity","finding","cve","cwe"
	awk -F '","' '
	NR > 1 && $4 ~ /^(LOW|MEDIUM|HIGH|CRITICAL)$/ {
		print "# " $4 ": " $1 "\": " $5; bad = 1
	}
	NR > 1 && $4 == "WARN" { print "# (testssl.sh warns) " $1 "\": " $5 }
	END { exit bad }' "$tmp/testssl.csv"
}

first=yes
for MODEL in ${MODELS:-fork thread single event event:2}; do
	TEST_PREFIX="$MODEL: "
	start --tls-cert "$certs/rsa.pem" --tls-key "$certs/rsa.key"
	for name in localhost rsa.test; do
		if [ -n "$SSLSCAN" ]; then
			check "sslscan $name: TLS 1.2 and 1.3 only, ECDHE+AEAD only, nothing vulnerable" \
			    sslscan_ok "$name"
		else
			skip "sslscan $name" "sslscan is not installed"
		fi
	done
	case " ${TESTSSL_MODELS:-$MODEL} " in
	*" $MODEL "*) scan=yes ;;
	*) scan=no ;;
	esac
	# the RSA certificate's scan (ROBOT and the like) once is enough
	names=localhost
	[ "$first" = yes ] && names="localhost rsa.test"
	for name in $names; do
		if [ -z "$TESTSSL" ]; then
			skip "testssl.sh $name" "testssl.sh is not installed"
		elif [ "$scan" = no ]; then
			skip "testssl.sh $name" "not in TESTSSL_MODELS"
		else
			check "testssl.sh $name: no finding rated LOW or worse" \
			    testssl_ok "$name"
		fi
	done
	first=no
	check "the server still runs after the scans" kill -0 "$pid"
	stop
done
TEST_PREFIX=
finish
