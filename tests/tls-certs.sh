#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tls-certs.sh DIR: the certificates the HTTPS tests use, made afresh with
# openssl into DIR (created if need be; the files below are replaced), in
# about half a second.
# ECDSA P-256 everywhere but one RSA-2048 pair: key generation is what
# costs, and only rsa.test needs RSA.
#
#   ca.pem ca.key              the test CA; clients trust ca.pem
#   localhost.pem .key         ECDSA, DNS:localhost and IP:127.0.0.1,
#                              serial 1001: the default pair
#   renewed.pem .key           the same names, a new key, serial 1002:
#                              what a renewal copies over localhost.*
#   rsa.pem .key               RSA-2048, DNS:rsa.test, serial 1003
#   other.pem .key             ECDSA, DNS:other.test and DNS:*.wild.test,
#                              serial 1004: a second name for SNI
#   expired.pem .key           localhost again, valid only in January 2020
#   mismatched.pem .key        localhost's certificate with another key
#
# Keys are mode 0600, as an administrator keeps them.  Every certificate
# file holds the leaf alone: the CA signs the leaves directly.
set -eu

dir=${1:?usage: tls-certs.sh DIR}
umask 077
mkdir -p "$dir"
cd "$dir"

# Requests get their names here, not from an openssl.cnf the system may
# have changed; the CA's own extensions come with -addext.
cat > ext.cnf <<'EOF'
[localhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[rsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:rsa.test
[other]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.test, DNS:*.wild.test
EOF

ec_key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1" 2>/dev/null
}

# leaf NAME KEY SECTION SERIAL CN: NAME.pem, signed by the CA for 30 days.
leaf() {
	openssl req -new -key "$2" -subj "/O=forkhttpd tests/CN=$5" \
	    -out "$1.csr"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
	    -set_serial "$4" -days 30 -sha256 -extfile ext.cnf \
	    -extensions "$3" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr"
}

ec_key ca.key
openssl req -new -x509 -key ca.key -sha256 -days 30 \
    -subj "/O=forkhttpd tests/CN=forkhttpd test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

ec_key localhost.key
leaf localhost localhost.key localhost 0x1001 localhost
ec_key renewed.key
leaf renewed renewed.key localhost 0x1002 localhost
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out rsa.key 2>/dev/null
leaf rsa rsa.key rsa 0x1003 rsa.test
ec_key other.key
leaf other other.key other 0x1004 other.test

# Expired: openssl 3.0's x509 has no -not_before/-not_after (3.4 has),
# but its ca command takes -startdate and -enddate.
ec_key expired.key
openssl req -new -key expired.key -subj "/O=forkhttpd tests/CN=localhost" \
    -out expired.csr
rm -rf ca.db && mkdir ca.db && : > ca.db/index && echo 1005 > ca.db/serial
cat > ca.cnf <<'EOF'
[ca]
default_ca = test_ca
[test_ca]
database = ca.db/index
serial = ca.db/serial
new_certs_dir = ca.db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = anything
unique_subject = no
x509_extensions = localhost
[anything]
commonName = supplied
organizationName = optional
[localhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
EOF
openssl ca -batch -notext -preserveDN -config ca.cnf -in expired.csr \
    -startdate 20200101000000Z -enddate 20200201000000Z \
    -out expired.pem 2>/dev/null
rm -rf expired.csr ca.db ca.cnf

# Mismatched: a good certificate, and a key that is not its own.
cp localhost.pem mismatched.pem
ec_key mismatched.key
rm -f ext.cnf
chmod 600 ./*.key
chmod 644 ./*.pem
