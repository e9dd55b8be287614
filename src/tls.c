/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTPS with OpenSSL 3.  Every --tls-cert/--tls-key pair becomes an
 * SSL_CTX with the same settings; together they are a certset, which a
 * connection holds a reference to, so that SIGHUP can put a new set in
 * place while connections in flight finish with the old one.
 *
 * Settings: TLS 1.2 and 1.3 only, ECDHE with AEAD ciphers for 1.2, the
 * server's order, no compression, no renegotiation, ALPN http/1.1.
 * Session resumption is by tickets only, never a server-side cache that
 * one child would see and the next would not.  Their keys come from a
 * secret made at start-up, before the first fork, and move forward one
 * step every TLS_TICKET_PERIOD_SEC by a one-way hash: every process (a
 * forked child, an event worker) computes the same keys without talking
 * to the others, and once a period is over nobody can recompute its key.
 * OpenSSL's own ticket code uses them (a ticket callback cost a third of
 * the new connections a second; see the ChangeLog): a context holds one
 * key, so a new period gets new contexts, and a ticket lives until the
 * period ends.
 */
#include <config.h>

#include "tls.h"

#ifndef HAVE_TLS
int
tls_built(void)
{
	return 0;
}
#else

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef ENABLE_THREADS
#include <pthread.h>
#endif

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "metrics.h"
#include "tls_names.h"

/* Mozilla's "intermediate" TLS 1.2 list: forward secret, AEAD. */
#define TLS12_CIPHERS	"ECDHE-ECDSA-AES128-GCM-SHA256:" \
	"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
	"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:" \
	"ECDHE-RSA-CHACHA20-POLY1305"
#define TLS_GROUPS	"X25519:P-256:P-384"
#define MAX_CERT_NAMES	100	/* names of one certificate used for SNI */
#define ERR_BYTES	256

int
tls_built(void)
{
	return 1;
}

/* The pairs loaded together, and the names each certificate is for. */
struct certset {
	atomic_int	 refs;
	long long	 period;	/* of the ticket key its contexts hold */
	size_t		 n;
	SSL_CTX		*ctx[MAX_TLS_PAIRS];
	char		**names[MAX_TLS_PAIRS];	/* NULL-terminated */
};

/* A ticket key: its name in the ticket, and its two secrets. */
struct ticket_key {
	unsigned char	 name[16];
	unsigned char	 aes[32];
	unsigned char	 hmac[32];
};

struct tickets {
	long long	 period;	/* the current one, time / period */
	unsigned char	 secret[32];	/* the current period's */
	struct ticket_key cur;
};

/* What the failed handshakes of every process add up to. */
struct failures {
	atomic_ulong	 count;		/* since the last report */
	atomic_llong	 reported;	/* when, in seconds */
};

static struct certset *current;
/* fetched once, for the ticket keys */
static EVP_MD *sha256;
static struct tickets tickets;
static struct failures *failures;	/* shared by the children */
static int set_index = -1;		/* SSL ex_data: the certset */
static int kernel_tls;			/* the kernel's tls module answers */
static tls_opener *opener;
#ifdef ENABLE_THREADS
/* The thread model: clients take the set while SIGHUP replaces it, and
   share the ticket keys. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
#define LOCK()		(void)pthread_mutex_lock(&lock)
#define UNLOCK()	(void)pthread_mutex_unlock(&lock)
#else
#define LOCK()		do { } while (0)
#define UNLOCK()	do { } while (0)
#endif

static int
open_plain(size_t index, const char *path)
{
	(void)index;
	return open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

void
tls_set_opener(tls_opener *fn)
{
	opener = fn;
}

/* The last OpenSSL error as text, and the queue emptied. */
static const char *
ssl_error(void)
{
	static char buf[ERR_BYTES];
	unsigned long e = ERR_peek_last_error();

	if (e == 0)
		(void)snprintf(buf, sizeof(buf), "unknown error");
	else
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

/* --- ticket keys --- */

static int
digest(const unsigned char *secret, const char *label, unsigned char out[32])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok;

	ok = md != NULL && EVP_DigestInit_ex(md, sha256, NULL) &&
	    EVP_DigestUpdate(md, secret, 32) &&
	    EVP_DigestUpdate(md, label, strlen(label)) &&
	    EVP_DigestFinal_ex(md, out, NULL);
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

static int
derive(const unsigned char *secret, struct ticket_key *k)
{
	unsigned char name[32];

	if (digest(secret, "forkhttpd ticket name", name) != 0 ||
	    digest(secret, "forkhttpd ticket aes", k->aes) != 0 ||
	    digest(secret, "forkhttpd ticket hmac", k->hmac) != 0)
		return -1;
	memcpy(k->name, name, sizeof(k->name));
	return 0;
}

/* Bring the keys up to the current period.  Locked. */
static int
tickets_advance(void)
{
	long long now = (long long)time(NULL) / TLS_TICKET_PERIOD_SEC;
	unsigned char next[32];

	/* a clock set back keeps the keys it has */
	while (tickets.period < now) {
		if (digest(tickets.secret, "forkhttpd ticket next", next) != 0)
			return -1;
		memcpy(tickets.secret, next, sizeof(next));
		OPENSSL_cleanse(next, sizeof(next));
		tickets.period++;
		if (tickets.period == now &&
		    derive(tickets.secret, &tickets.cur) != 0)
			return -1;
	}
	return 0;
}

static int
tickets_init(void)
{
	tickets.period = (long long)time(NULL) / TLS_TICKET_PERIOD_SEC;
	if (RAND_bytes(tickets.secret, sizeof(tickets.secret)) != 1)
		return -1;
	return derive(tickets.secret, &tickets.cur);
}

/* --- certificates --- */

/* SNI: the certificate for the name the client asked for. */
static int
servername_cb(SSL *ssl, int *alert, void *arg)
{
	struct certset *set = SSL_get_ex_data(ssl, set_index);
	const char *host = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	size_t i;

	(void)alert;
	(void)arg;
	if (set == NULL || set->n < 2 || host == NULL)
		return SSL_TLSEXT_ERR_OK;
	i = tls_pick_certificate((const char *const *const *)set->names,
	    set->n, host, strlen(host));
	if (i != 0 && SSL_set_SSL_CTX(ssl, set->ctx[i]) == NULL)
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	return SSL_TLSEXT_ERR_OK;
}

/* ALPN: http/1.1; a client that offers only others (h2) is refused, as
   nginx does. */
static int
alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
    const unsigned char *in, unsigned int inlen, void *arg)
{
	(void)ssl;
	(void)arg;
	if (tls_alpn_pick(in, inlen, out, outlen) != 0)
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	return SSL_TLSEXT_ERR_OK;
}

/* A key with a passphrase would ask on the terminal: refuse it. */
static int
no_passphrase(char *buf, int size, int rw, void *u)
{
	(void)buf;
	(void)size;
	(void)rw;
	(void)u;
	return -1;
}

/* The current ticket key into ctx: name, HMAC key, AES key. */
static int
install_keys(SSL_CTX *ctx)
{
	unsigned char keys[80];
	int ok;

	memcpy(keys, tickets.cur.name, 16);
	memcpy(keys + 16, tickets.cur.hmac, 32);
	memcpy(keys + 48, tickets.cur.aes, 32);
	ok = SSL_CTX_set_tlsext_ticket_keys(ctx, keys, sizeof(keys)) == 1;
	OPENSSL_cleanse(keys, sizeof(keys));
	return ok ? 0 : -1;
}

static SSL_CTX *
new_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	uint64_t opts = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF;

	if (ctx == NULL)
		return NULL;
#ifdef SSL_OP_ENABLE_KTLS
	if (kernel_tls)
		opts |= SSL_OP_ENABLE_KTLS;
#endif
	(void)SSL_CTX_set_options(ctx, opts);
	/* a write returns what went out; the rest is offered again from
	   wherever the caller keeps it */
	(void)SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	/* a record in one read(2), not its header and then the rest */
	SSL_CTX_set_read_ahead(ctx, 1);
	(void)SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	(void)SSL_CTX_set_timeout(ctx, TLS_TICKET_PERIOD_SEC);
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1 ||
	    SSL_CTX_set1_groups_list(ctx, TLS_GROUPS) != 1 ||
	    SSL_CTX_set_session_id_context(ctx,
	    (const unsigned char *)PACKAGE_NAME, sizeof(PACKAGE_NAME) - 1) != 1 ||
	    install_keys(ctx) != 0) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_tlsext_servername_callback(ctx, servername_cb);
	SSL_CTX_set_alpn_select_cb(ctx, alpn_cb, NULL);
	SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
	return ctx;
}

/* The whole of a certificate or key file, into memory. */
static BIO *
read_pem(size_t index, const char *path, char *err, size_t errsize)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	BIO *bio = NULL;
	int fd;

	if ((fd = (opener ? opener : open_plain)(index, path)) < 0) {
		(void)snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_PEM_BYTES) {
		(void)snprintf(err, errsize, "%s: not a regular file of at most "
		    "%d bytes", path, MAX_PEM_BYTES);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		(void)snprintf(err, errsize, "%s: %s", path, strerror(errno));
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			(void)snprintf(err, errsize, "%s: %s", path, n < 0 ?
			    strerror(errno) : "shorter than it was");
			goto out;
		}
		got += (size_t)n;
	}
	/* the BIO keeps its own copy, so the key's bytes can be wiped */
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    BIO_write(bio, buf, (int)got) != (int)got) {
		BIO_free(bio);
		bio = NULL;
		(void)snprintf(err, errsize, "%s: %s", path, ssl_error());
	}
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, got);
		free(buf);
	}
	(void)close(fd);
	return bio;
}

static void
free_names(char **names)
{
	char **p;

	for (p = names; p != NULL && *p != NULL; p++)
		free(*p);
	free(names);
}

/* The DNS names of the certificate's subjectAltName, or its CN. */
static char **
cert_names(X509 *x)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	    NULL);
	char **names, cn[TLS_MAX_NAME_BYTES + 1];
	size_t n = 0;
	int i, len;

	if ((names = calloc(MAX_CERT_NAMES + 1, sizeof(*names))) == NULL) {
		GENERAL_NAMES_free(gens);
		return NULL;
	}
	for (i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens) &&
	    n < MAX_CERT_NAMES; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const unsigned char *p;

		if (g->type != GEN_DNS)
			continue;
		p = ASN1_STRING_get0_data(g->d.dNSName);
		len = ASN1_STRING_length(g->d.dNSName);
		if (len <= 0 || len > TLS_MAX_NAME_BYTES ||
		    memchr(p, '\0', (size_t)len) != NULL)
			continue;
		if ((names[n] = strndup((const char *)p, (size_t)len)) == NULL)
			goto fail;
		n++;
	}
	if (gens == NULL) {
		len = X509_NAME_get_text_by_NID(X509_get_subject_name(x),
		    NID_commonName, cn, sizeof(cn));
		if (len > 0 && (size_t)len < sizeof(cn) &&
		    (names[n++] = strdup(cn)) == NULL)
			goto fail;
	}
	GENERAL_NAMES_free(gens);
	return names;
fail:
	GENERAL_NAMES_free(gens);
	free_names(names);
	return NULL;
}

/* Is the certificate valid now?  NULL, or why not. */
static const char *
cert_time(X509 *x)
{
	if (X509_cmp_current_time(X509_get0_notAfter(x)) <= 0)
		return "has expired";
	if (X509_cmp_current_time(X509_get0_notBefore(x)) >= 0)
		return "is not valid yet";
	return NULL;
}

/* Load pair i into a new context; its names into *names. */
static SSL_CTX *
load_pair(const struct config *cfg, size_t i, char ***names, char *err,
    size_t errsize)
{
	const char *cert = cfg->tls_cert[i], *key = cfg->tls_key[i], *why;
	SSL_CTX *ctx = NULL;
	BIO *bio;
	X509 *leaf = NULL, *x;
	EVP_PKEY *pkey = NULL;

	*names = NULL;
	if ((bio = read_pem(2 * i, cert, err, errsize)) == NULL)
		return NULL;
	if ((leaf = PEM_read_bio_X509_AUX(bio, NULL, no_passphrase,
	    NULL)) == NULL) {
		(void)snprintf(err, errsize, "%s: no certificate: %s", cert,
		    ssl_error());
		goto fail;
	}
	if ((why = cert_time(leaf)) != NULL) {
		(void)snprintf(err, errsize, "%s: the certificate %s", cert,
		    why);
		goto fail;
	}
	if ((ctx = new_ctx()) == NULL ||
	    SSL_CTX_use_certificate(ctx, leaf) != 1) {
		(void)snprintf(err, errsize, "%s: %s", cert, ssl_error());
		goto fail;
	}
	/* the rest of the file is the chain, leaf first as nginx wants */
	while ((x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL)) != NULL)
		if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
			X509_free(x);
			(void)snprintf(err, errsize, "%s: %s", cert,
			    ssl_error());
			goto fail;
		}
	ERR_clear_error();	/* the end of the file */
	BIO_free(bio);
	if ((bio = read_pem(2 * i + 1, key, err, errsize)) == NULL)
		goto fail;
	if ((pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase,
	    NULL)) == NULL) {
		(void)snprintf(err, errsize, "%s: no private key (or one with "
		    "a passphrase): %s", key, ssl_error());
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey(ctx, pkey) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		(void)snprintf(err, errsize, "%s does not match %s: %s", key,
		    cert, ssl_error());
		goto fail;
	}
	if ((*names = cert_names(leaf)) == NULL) {
		(void)snprintf(err, errsize, "%s: out of memory", cert);
		goto fail;
	}
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	X509_free(leaf);
	return ctx;
fail:
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	X509_free(leaf);
	SSL_CTX_free(ctx);
	return NULL;
}

static void
set_release(struct certset *set)
{
	size_t i;

	if (set == NULL || atomic_fetch_sub(&set->refs, 1) != 1)
		return;
	for (i = 0; i < set->n; i++) {
		SSL_CTX_free(set->ctx[i]);
		free_names(set->names[i]);
	}
	free(set);
}

/*
 * OpenSSL 3 looks up each algorithm (key exchange, signature, cipher,
 * digest, the ticket's) the first time a process uses it, and keeps what
 * it found.  A forked child would look them all up again for each client:
 * shake hands once here, in memory, in both versions, so that every child
 * inherits them found.
 */
static void
warm_up(SSL_CTX *server)
{
	static const int versions[] = { TLS1_3_VERSION, TLS1_2_VERSION };
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	SSL *c, *s;
	BIO *cb, *sb;
	char buf[256];
	size_t v, n;
	int i, done;

	for (v = 0; cctx != NULL && v < sizeof(versions) / sizeof(*versions);
	    v++) {
		if (SSL_CTX_set_min_proto_version(cctx, versions[v]) != 1 ||
		    SSL_CTX_set_max_proto_version(cctx, versions[v]) != 1)
			break;
		c = SSL_new(cctx);
		s = SSL_new(server);
		if (c == NULL || s == NULL ||
		    BIO_new_bio_pair(&cb, 0, &sb, 0) != 1) {
			SSL_free(c);
			SSL_free(s);
			break;
		}
		SSL_set_bio(c, cb, cb);
		SSL_set_bio(s, sb, sb);
		SSL_set_connect_state(c);
		SSL_set_accept_state(s);
		for (i = done = 0; i < 16 && done != 3; i++) {
			if (SSL_do_handshake(c) == 1)
				done |= 1;
			if (SSL_do_handshake(s) == 1)
				done |= 2;
		}
		/* data both ways, and the tickets that follow a handshake */
		for (i = 0; i < 2; i++) {
			(void)SSL_write_ex(s, "warm", 4, &n);
			(void)SSL_read_ex(c, buf, sizeof(buf), &n);
			(void)SSL_write_ex(c, "warm", 4, &n);
			(void)SSL_read_ex(s, buf, sizeof(buf), &n);
		}
		SSL_free(c);
		SSL_free(s);
	}
	SSL_CTX_free(cctx);
	ERR_clear_error();
}

static struct certset *
set_load(const struct config *cfg, char *err, size_t errsize)
{
	struct certset *set;
	size_t i;

	if ((set = calloc(1, sizeof(*set))) == NULL) {
		(void)snprintf(err, errsize, "out of memory");
		return NULL;
	}
	atomic_init(&set->refs, 1);
	set->period = tickets.period;
	for (i = 0; i < (size_t)cfg->tls_pairs; i++) {
		set->ctx[i] = load_pair(cfg, i, &set->names[i], err, errsize);
		if (set->ctx[i] == NULL) {
			set_release(set);
			return NULL;
		}
		set->n++;
	}
	for (i = 0; i < set->n; i++)
		warm_up(set->ctx[i]);
	return set;
}

/* A copy of set's contexts with the current ticket key; NULL on error. */
static struct certset *
set_clone(const struct certset *set)
{
	STACK_OF(X509) *chain;
	struct certset *n;
	size_t i, k;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	atomic_init(&n->refs, 1);
	n->period = tickets.period;
	for (i = 0; i < set->n; i++) {
		for (k = 0; set->names[i][k] != NULL; k++)
			;
		if ((n->ctx[i] = new_ctx()) == NULL ||
		    (n->names[i] = calloc(k + 1, sizeof(char *))) == NULL)
			goto fail;
		n->n++;
		while (k-- > 0)
			if ((n->names[i][k] = strdup(set->names[i][k])) ==
			    NULL)
				goto fail;
		if (SSL_CTX_use_certificate(n->ctx[i],
		    SSL_CTX_get0_certificate(set->ctx[i])) != 1 ||
		    SSL_CTX_use_PrivateKey(n->ctx[i],
		    SSL_CTX_get0_privatekey(set->ctx[i])) != 1 ||
		    SSL_CTX_get0_chain_certs(set->ctx[i], &chain) != 1 ||
		    SSL_CTX_set1_chain(n->ctx[i], chain) != 1)
			goto fail;
	}
	return n;
fail:
	set_release(n);
	ERR_clear_error();
	return NULL;
}

/*
 * A new ticket period: contexts with its key, made from the current ones
 * (nothing read again), in place of them.  Locked.
 */
static void
rotate(void)
{
	struct certset *n, *old = current;

	if (old == NULL || tickets_advance() != 0 ||
	    old->period == tickets.period)
		return;
	if ((n = set_clone(old)) == NULL) {
		log_warnx("cannot make the new TLS ticket key's contexts");
		return;
	}
	current = n;
	set_release(old);
}

void
tls_tick(void)
{
	long long now = (long long)time(NULL) / TLS_TICKET_PERIOD_SEC;

	if (current == NULL || current->period >= now)
		return;
	LOCK();
	rotate();
	UNLOCK();
}

/*
 * Can this kernel encrypt for us (the tls module)?  Asked once, of a
 * loopback connection, so that OpenSSL need not try on every client.
 */
static int
kernel_tls_works(void)
{
#if defined(SSL_OP_ENABLE_KTLS) && defined(TCP_ULP)
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int l, c = -1, ok = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    listen(l, 1) == 0 &&
	    getsockname(l, (struct sockaddr *)&sa, &len) == 0 &&
	    (c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0 &&
	    connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		ok = setsockopt(c, IPPROTO_TCP, TCP_ULP, "tls",
		    sizeof("tls")) == 0;
	if (c >= 0)
		(void)close(c);
	(void)close(l);
	return ok;
#else
	return 0;
#endif
}

int
tls_setup(const struct config *cfg, char *err, size_t errsize)
{
	if (cfg->tls_pairs == 0) {
		(void)snprintf(err, errsize, "HTTPS needs a certificate and "
		    "its key: --tls-cert FILE --tls-key FILE");
		return -1;
	}
	if (set_index < 0 && (set_index = SSL_get_ex_new_index(0, NULL, NULL,
	    NULL, NULL)) < 0) {
		(void)snprintf(err, errsize, "TLS: %s", ssl_error());
		return -1;
	}
	kernel_tls = kernel_tls_works();
	if (sha256 == NULL &&
	    (sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL)) == NULL) {
		(void)snprintf(err, errsize, "TLS: %s", ssl_error());
		return -1;
	}
	/* the keys exist before the first handshake (warm_up's) */
	if (tickets_init() != 0) {
		(void)snprintf(err, errsize, "TLS ticket keys: %s",
		    ssl_error());
		return -1;
	}
	if ((current = set_load(cfg, err, errsize)) == NULL)
		return -1;
	failures = mmap(NULL, sizeof(*failures), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (failures == MAP_FAILED) {
		failures = NULL;
		(void)snprintf(err, errsize, "TLS: %s", strerror(errno));
		return -1;
	}
	atomic_init(&failures->count, 0);
	atomic_init(&failures->reported, 0);
	return 0;
}

const char *
tls_describe(void)
{
	return kernel_tls ? "HTTPS file bodies: kernel TLS and sendfile" :
	    "HTTPS file bodies: read and encrypted here (the kernel has no "
	    "TLS module: modprobe tls for sendfile)";
}

int
tls_reload(const struct config *cfg)
{
	struct certset *set, *old;
	char err[ERR_BYTES * 2];

	if (current == NULL)
		return 0;
	LOCK();		/* the ticket key it installs */
	set = set_load(cfg, err, sizeof(err));
	UNLOCK();
	if (set == NULL) {
		log_warnx("cannot reload the certificates, keeping the "
		    "previous certificate: %s", err);
		return -1;
	}
	LOCK();
	old = current;
	current = set;
	UNLOCK();
	set_release(old);
	log_warnx("reloaded %zu certificate%s", set->n,
	    set->n == 1 ? "" : "s");
	return 0;
}

void
tls_cleanup(void)
{
	set_release(current);
	current = NULL;
	EVP_MD_free(sha256);
	sha256 = NULL;
	OPENSSL_cleanse(&tickets, sizeof(tickets));
	if (failures != NULL)
		(void)munmap(failures, sizeof(*failures));
	failures = NULL;
}

/* --- connections --- */

/*
 * A failed handshake is the client's business (a scanner, an old client):
 * counted across processes, and reported at most once a minute.
 */
static void
handshake_failed(const char *why)
{
	long long now = (long long)time(NULL), last;
	unsigned long n;

	metrics_add(MC_TLS_FAILED, 1);
	if (failures == NULL)
		return;
	atomic_fetch_add(&failures->count, 1);
	last = atomic_load(&failures->reported);
	if (now - last < TLS_FAILURE_REPORT_SEC ||
	    !atomic_compare_exchange_strong(&failures->reported, &last, now))
		return;
	n = atomic_exchange(&failures->count, 0);
	log_warnx("%lu TLS handshake%s failed in the last %d s (last: %s)",
	    n, n == 1 ? "" : "s", last == 0 ? 0 : (int)(now - last), why);
}

struct tls_conn *
tls_accept(int fd)
{
	struct certset *set;
	SSL *ssl;

	tls_tick();
	LOCK();
	set = current;
	if (set != NULL)
		atomic_fetch_add(&set->refs, 1);
	UNLOCK();
	if (set == NULL)
		return NULL;
	if ((ssl = SSL_new(set->ctx[0])) == NULL ||
	    SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_ex_data(ssl, set_index, set) != 1) {
		SSL_free(ssl);
		set_release(set);
		ERR_clear_error();
		return NULL;
	}
	SSL_set_accept_state(ssl);
	return (struct tls_conn *)ssl;
}

static ssize_t
io_status(SSL *ssl, int r)
{
	int e = SSL_get_error(ssl, r), saved = errno;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		ERR_clear_error();
		errno = saved;
		return saved == 0 ? 0 : TLS_ERROR;
	default:
		if (!SSL_is_init_finished(ssl))
			handshake_failed(ssl_error());
		else
			ERR_clear_error();
		return TLS_ERROR;
	}
}

ssize_t
tls_read(struct tls_conn *t, void *buf, size_t n)
{
	SSL *ssl = (SSL *)t;
	size_t got;
	int r;

	if ((r = SSL_read_ex(ssl, buf, n, &got)) == 1)
		return (ssize_t)got;
	return io_status(ssl, r);
}

ssize_t
tls_write(struct tls_conn *t, const void *buf, size_t n)
{
	SSL *ssl = (SSL *)t;
	size_t put;
	int r;

	if ((r = SSL_write_ex(ssl, buf, n, &put)) == 1)
		return (ssize_t)put;
	return io_status(ssl, r);
}

int
tls_kernel_send(struct tls_conn *t)
{
	return kernel_tls && BIO_get_ktls_send(SSL_get_wbio((SSL *)t));
}

ssize_t
tls_sendfile(struct tls_conn *t, int fd, off_t off, size_t n)
{
	SSL *ssl = (SSL *)t;
	ossl_ssize_t r = SSL_sendfile(ssl, fd, off, n, 0);

	if (r > 0)
		return (ssize_t)r;
	return io_status(ssl, (int)r);
}

size_t
tls_describe_conn(struct tls_conn *t, char *buf, size_t size)
{
	SSL *ssl = (SSL *)t;
	int n;

	n = snprintf(buf, size, "https %s %s", SSL_get_version(ssl),
	    SSL_get_cipher_name(ssl));
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

const char *
tls_server_name(struct tls_conn *t)
{
	return SSL_get_servername((SSL *)t, TLSEXT_NAMETYPE_host_name);
}

int
tls_handshake_done(struct tls_conn *t)
{
	return SSL_is_init_finished((SSL *)t);
}

int
tls_pending(struct tls_conn *t)
{
	/* read ahead: bytes read from the socket, not yet decrypted, too */
	return SSL_has_pending((SSL *)t);
}

void
tls_close_notify(struct tls_conn *t)
{
	SSL *ssl = (SSL *)t;

	if (SSL_is_init_finished(ssl))
		(void)SSL_shutdown(ssl);
	ERR_clear_error();
}

void
tls_free(struct tls_conn *t)
{
	SSL *ssl = (SSL *)t;
	struct certset *set;

	if (ssl == NULL)
		return;
	set = SSL_get_ex_data(ssl, set_index);
	SSL_free(ssl);
	set_release(set);
}
#endif /* HAVE_TLS */
