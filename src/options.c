/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * getopt_long into struct config.  The letters are mini_httpd's where the
 * meaning is shared.  --help here and the OPTIONS of forkhttpd(8) must say
 * the same things; change both together.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "headers.h"
#include "listen.h"
#include "number.h"
#include "options.h"
#include "path.h"
#include "proxy.h"
#include "tls.h"

enum {
	OPT_DOTFILES = 256, OPT_LISTING, OPT_FOLLOW, OPT_HEADER_TIMEOUT,
	OPT_SEND_TIMEOUT, OPT_CHILD_DEADLINE, OPT_CHROOT, OPT_COMBINED,
	OPT_ALLOW_ROOT, OPT_GRACE, OPT_MAX_PER_ADDRESS, OPT_TLS_PORT,
	OPT_TLS_CERT, OPT_TLS_KEY, OPT_REDIRECT_HTTPS, OPT_HSTS, OPT_LOG_TLS,
	OPT_ERROR_LOG, OPT_PROXY_PROTOCOL, OPT_TRUSTED_PROXY, OPT_LOG_PEER,
	OPT_VHOST, OPT_LOG_VHOST, OPT_AUTH, OPT_AUTH_PLAIN, OPT_PRECOMPRESSED,
	OPT_HEADER, OPT_MAX_AGE, OPT_CHARSET, OPT_MIME_TYPES, OPT_STATUS
};

static const struct option long_options[] = {
	{ "address",	required_argument,	NULL, 'a' },
	{ "allow-root",	no_argument,		NULL, OPT_ALLOW_ROOT },
	{ "auth",	required_argument,	NULL, OPT_AUTH },
	{ "auth-plain",	no_argument,		NULL, OPT_AUTH_PLAIN },
	{ "child-deadline", required_argument,	NULL, OPT_CHILD_DEADLINE },
	{ "chroot",	optional_argument,	NULL, OPT_CHROOT },
	{ "combined",	no_argument,		NULL, OPT_COMBINED },
	{ "docroot",	required_argument,	NULL, 'd' },
	{ "dotfiles",	no_argument,		NULL, OPT_DOTFILES },
	{ "charset",	required_argument,	NULL, OPT_CHARSET },
	{ "error-log",	required_argument,	NULL, OPT_ERROR_LOG },
	{ "follow-symlinks", no_argument,	NULL, OPT_FOLLOW },
	{ "foreground",	no_argument,		NULL, 'D' },
	{ "grace",	required_argument,	NULL, OPT_GRACE },
	{ "header-timeout", required_argument,	NULL, OPT_HEADER_TIMEOUT },
	{ "header",	required_argument,	NULL, OPT_HEADER },
	{ "help",	no_argument,		NULL, 'h' },
	{ "hsts",	required_argument,	NULL, OPT_HSTS },
	{ "inetd",	no_argument,		NULL, 'I' },
	{ "ipv4",	no_argument,		NULL, '4' },
	{ "ipv6",	no_argument,		NULL, '6' },
	{ "listing",	no_argument,		NULL, OPT_LISTING },
	{ "logfile",	required_argument,	NULL, 'l' },
	{ "log-peer",	no_argument,		NULL, OPT_LOG_PEER },
	{ "log-tls",	no_argument,		NULL, OPT_LOG_TLS },
	{ "log-vhost",	no_argument,		NULL, OPT_LOG_VHOST },
	{ "max-age",	required_argument,	NULL, OPT_MAX_AGE },
	{ "max-clients", required_argument,	NULL, 'c' },
	{ "max-per-address", required_argument,	NULL, OPT_MAX_PER_ADDRESS },
	{ "mime-types",	required_argument,	NULL, OPT_MIME_TYPES },
	{ "model",	required_argument,	NULL, 'm' },
	{ "pidfile",	required_argument,	NULL, 'i' },
	{ "port",	required_argument,	NULL, 'p' },
	{ "precompressed", no_argument,		NULL, OPT_PRECOMPRESSED },
	{ "proxy-protocol", no_argument,	NULL, OPT_PROXY_PROTOCOL },
	{ "redirect-https", no_argument,	NULL, OPT_REDIRECT_HTTPS },
	{ "send-timeout", required_argument,	NULL, OPT_SEND_TIMEOUT },
	{ "status",	required_argument,	NULL, OPT_STATUS },
	{ "test",	no_argument,		NULL, 't' },
	{ "timeout",	required_argument,	NULL, 'T' },
	{ "tls-cert",	required_argument,	NULL, OPT_TLS_CERT },
	{ "tls-key",	required_argument,	NULL, OPT_TLS_KEY },
	{ "tls-port",	required_argument,	NULL, OPT_TLS_PORT },
	{ "trusted-proxy", required_argument,	NULL, OPT_TRUSTED_PROXY },
	{ "user",	required_argument,	NULL, 'u' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "vhost",	no_argument,		NULL, OPT_VHOST },
	{ "workers",	required_argument,	NULL, 'w' },
	{ NULL,		0,			NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: %s [OPTION]...\n"
	    "Serve the files of a directory over HTTP/1.1, one process per "
	    "client.\n\n"
	    "Where and what:\n"
	    "  -p, --port=PORT        listen on PORT (default %s; 0 picks a "
	    "free one)\n"
	    "  -a, --address=ADDRESS  listen on ADDRESS only, and on every "
	    "other -a\n"
	    "                         (default: every address)\n"
	    "  -4, --ipv4             listen on IPv4 only\n"
	    "  -6, --ipv6             listen on IPv6 only\n"
	    "  -I, --inetd            serve one connection on standard input "
	    "(inetd)\n"
	    "  -d, --docroot=DIR      serve the files under DIR\n"
	    "                         (default %s)\n"
	    "      --dotfiles         serve names that begin with '.'\n"
	    "      --follow-symlinks  follow links that lead outside the "
	    "document root\n"
	    "      --listing          list directories that have no "
	    "index.html\n"
	    "      --vhost            serve each host from its directory "
	    "under DIR (its\n"
	    "                         name lower-cased, no port); others from "
	    "DIR/_default\n"
	    "      --auth=PREFIX:FILE  ask for a password under the path "
	    "PREFIX, checked\n"
	    "                         against FILE (htpasswd: bcrypt, "
	    "yescrypt or SHA-512\n"
	    "                         crypt); at most %d\n"
	    "      --auth-plain       ask for passwords over plain HTTP even "
	    "when HTTPS\n"
	    "                         is served (else 403)\n"
	    "\nWhat answers carry:\n"
	    "      --precompressed    send FILE.br, FILE.zst or FILE.gz for "
	    "FILE to clients\n"
	    "                         that accept it (Accept-Encoding)\n"
	    "      --header='NAME: VALUE'  add this field to every 2xx and 3xx "
	    "answer\n"
	    "                         (up to %d; not one forkhttpd sends "
	    "itself)\n"
	    "      --max-age=SECONDS  let files be cached for SECONDS "
	    "(Cache-Control\n"
	    "                         and Expires)\n"
	    "      --charset=NAME     add charset=NAME to text types "
	    "(default %s;\n"
	    "                         none: never)\n"
	    "      --mime-types=FILE  media types by extension from FILE "
	    "(the format of\n"
	    "                         /etc/mime.types), over the built-in "
	    "ones\n"
	    "\nHTTPS:\n"
	    "      --tls-port=PORT    also serve HTTPS on PORT, on the same "
	    "addresses\n"
	    "                         (0 picks a free one)\n"
	    "      --tls-cert=FILE    the certificate chain (PEM) of the next "
	    "pair\n"
	    "      --tls-key=FILE     its private key (PEM); repeat both for "
	    "more names,\n"
	    "                         chosen by SNI (the first pair is the "
	    "default)\n"
	    "      --redirect-https   answer plain HTTP with 301 to HTTPS, "
	    "but for\n"
	    "                         /.well-known/acme-challenge/\n"
	    "      --hsts=SECONDS     send Strict-Transport-Security over "
	    "HTTPS\n"
	    "\nBehind a proxy:\n"
	    "      --trusted-proxy=NETWORK  trust the proxies at NETWORK "
	    "(ADDRESS[/BITS],\n"
	    "                         IPv4 or IPv6; repeat for more, up to "
	    "%d): their\n"
	    "                         X-Forwarded-For, or Forwarded, names "
	    "the client\n"
	    "      --proxy-protocol   every listener expects a PROXY "
	    "protocol header\n"
	    "                         (v1 or v2) from a trusted proxy; "
	    "others are closed\n"
	    "\nHow:\n"
	    "  -m, --model=MODEL      how clients are served: %s\n"
	    "                         (default fork)\n"
	    "  -w, --workers=N        with -m event: N event-loop processes, "
	    "restarted\n"
	    "                         when they die (default 0: one process)\n"
	    "  -c, --max-clients=N    serve at most N clients at once (per "
	    "worker); then\n"
	    "                         close idle ones, or answer 503 "
	    "(default %d)\n"
	    "      --max-per-address=N  at most N of them from one address "
	    "(IPv6: one /64);\n"
	    "                         answer others 503 (default: a quarter "
	    "of those\n"
	    "                         served at once; 0: any)\n"
	    "  -T, --timeout=SECONDS  close idle keep-alive connections after "
	    "SECONDS\n"
	    "                         (default %d)\n"
	    "      --header-timeout=SECONDS  a request head must arrive "
	    "within SECONDS\n"
	    "                         of its first byte (default %d)\n"
	    "      --send-timeout=SECONDS  close a client that accepts no data "
	    "for\n"
	    "                         SECONDS (default %d)\n"
	    "      --child-deadline=SECONDS  kill a child that lives longer "
	    "(default %d;\n"
	    "                         0 never)\n"
	    "      --grace=SECONDS    on SIGTERM, let clients finish for "
	    "SECONDS (default %d)\n"
	    "\nAs a daemon:\n"
	    "  -D, --foreground       do not detach; diagnostics to stderr\n"
	    "  -i, --pidfile=FILE     write the server's pid to FILE\n"
	    "  -l, --logfile=FILE     access log: FILE, - (stdout) or syslog\n"
	    "      --combined         log in Combined rather than Common Log "
	    "Format\n"
	    "      --log-tls          end each line with a field: \"http\", or "
	    "\"https\",\n"
	    "                         the TLS protocol and the cipher\n"
	    "      --log-peer         end each line with a field: the "
	    "address that\n"
	    "                         connected, when a proxy named the "
	    "client\n"
	    "      --log-vhost        begin each line with the host and the "
	    "port, as\n"
	    "                         Apache's vhost_combined\n"
	    "      --error-log=FILE   diagnostics to FILE, not to syslog once "
	    "detached\n"
	    "  -u, --user=USER        serve as USER when started as root "
	    "(default nobody)\n"
	    "  -r, --chroot[=DIR]     chroot into DIR (default: the document "
	    "root)\n"
	    "      --allow-root       serve as root if -u names root\n"
	    "  -t, --test             check the document root and the "
	    "certificates, and\n"
	    "                         exit (before a reload, as nginx -t)\n"
	    "\nWatching:\n"
	    "      --status=ADDRESS:PORT  answer GET /metrics (Prometheus) "
	    "and GET / (the\n"
	    "                         clients served now; /?text as text) on "
	    "a listener\n"
	    "                         of their own ([::1]:PORT for IPv6; port "
	    "0 picks one)\n"
	    "\n"
	    "  -h, --help             display this help and exit\n"
	    "  -V, --version          output version information and exit\n"
	    "\nExit status: 0 after a clean stop, %d when the server cannot "
	    "start,\n%d for a bad command line.\n"
	    "\nReport bugs to: %s\n",
	    PACKAGE_NAME, DEFAULT_PORT, DEFAULT_DOCROOT, MAX_AUTH_RULES,
	    MAX_EXTRA_HEADERS, DEFAULT_CHARSET, MAX_TRUSTED_PROXIES,
	    MODEL_NAMES,
	    DEFAULT_MAX_CLIENTS, DEFAULT_IDLE_TIMEOUT_SEC,
	    DEFAULT_HEADER_TIMEOUT_SEC, DEFAULT_SEND_TIMEOUT_SEC,
	    DEFAULT_CHILD_DEADLINE_SEC, DEFAULT_GRACE_SEC, EXIT_STARTUP,
	    EXIT_USAGE, PACKAGE_BUGREPORT);
}

static void
version(void)
{
	printf("%s %s\n"
	    "Copyright (C) 2026 The forkhttpd developers.\n"
	    "License BSD-2-Clause: <https://spdx.org/licenses/BSD-2-Clause.html>"
	    "\nThis is free software: you are free to change and redistribute "
	    "it.\nThere is NO WARRANTY, to the extent permitted by law.\n\n"
	    "Written by the forkhttpd developers; see AUTHORS.\n",
	    PACKAGE_NAME, PACKAGE_VERSION);
}

/* One line on stderr, like every usage error. */
static int
bad(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s '%s' (try '%s --help')\n", PACKAGE_NAME, what,
	    arg, PACKAGE_NAME);
	return OPTIONS_USAGE;
}

/* Without OpenSSL the HTTPS options are known, and refused. */
static int
no_tls(const char *opt)
{
	fprintf(stderr, "%s: %s: TLS is not built into this %s (configure "
	    "--without-tls)\n", PACKAGE_NAME, opt, PACKAGE_NAME);
	return OPTIONS_USAGE;
}

static void
defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = DEFAULT_PORT;
	cfg->docroot = DEFAULT_DOCROOT;
	cfg->docroot_fd = -1;
	cfg->idle_timeout_sec = DEFAULT_IDLE_TIMEOUT_SEC;
	cfg->header_timeout_sec = DEFAULT_HEADER_TIMEOUT_SEC;
	cfg->send_timeout_sec = DEFAULT_SEND_TIMEOUT_SEC;
	cfg->max_clients = DEFAULT_MAX_CLIENTS;
	cfg->max_per_address = -1;	/* a quarter of what the model serves */
	cfg->child_deadline_sec = DEFAULT_CHILD_DEADLINE_SEC;
	cfg->grace_sec = DEFAULT_GRACE_SEC;
	cfg->access_log_fd = -1;
	cfg->hsts_sec = -1;
	cfg->max_age_sec = -1;
	cfg->charset = DEFAULT_CHARSET;
}

/* --header, once --max-age is known: each checked and formatted. */
static int
add_headers(struct config *cfg, const char *const *header, int n)
{
	size_t len = 0;
	const char *why, *p;
	int i;

	for (i = 0; i < n; i++) {
		if (headers_add(cfg->extra_headers, sizeof(cfg->extra_headers),
		    &len, header[i], cfg->max_age_sec >= 0, &why) == 0)
			continue;
		/* one line, whatever the argument holds */
		fprintf(stderr, "%s: --header: %s: '", PACKAGE_NAME, why);
		for (p = header[i]; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fprintf(stderr, "\\x%02x", (unsigned char)*p);
			else
				fputc(*p, stderr);
		}
		fprintf(stderr, "' (try '%s --help')\n", PACKAGE_NAME);
		return OPTIONS_USAGE;
	}
	return OPTIONS_RUN;
}

static int
pair_add(const char **list, int *n, const char *file)
{
	if (*n >= MAX_TLS_PAIRS)
		return -1;
	list[(*n)++] = file;
	return 0;
}

int
options_bad_model(const char *name, const char *unavailable)
{
	if (unavailable == NULL)
		return bad("unknown model", name);
	fprintf(stderr, "%s: the %s model is not available: %s\n",
	    PACKAGE_NAME, name, unavailable);
	return OPTIONS_USAGE;
}

int
options_parse(int argc, char *argv[], struct config *cfg,
    const char **model_name)
{
	const char *header[MAX_EXTRA_HEADERS];
	char prefix[AUTH_PREFIX_BYTES];
	const char *file;
	long long n;
	int ch, chroot_docroot = 0, certs = 0, keys = 0, headers = 0;

	defaults(cfg);
	*model_name = "fork";
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":46a:c:d:Dhi:Il:m:p:rtT:u:Vw:", long_options,
	    NULL)) != -1) {
		switch (ch) {
		case '4':
			cfg->family = AF_INET;
			break;
		case '6':
			cfg->family = AF_INET6;
			break;
		case 'a':
			if (cfg->addresses == MAX_ADDRESSES)
				return bad("too many addresses at", optarg);
			cfg->address[cfg->addresses++] = optarg;
			break;
		case 'i':
			cfg->pidfile = optarg;
			break;
		case 'I':
			cfg->inetd = 1;
			break;
		case 'l':
			cfg->logfile = optarg;
			break;
		case 'r':
			chroot_docroot = 1;
			break;
		case 'u':
			cfg->user = optarg;
			break;
		case OPT_CHROOT:
			if (optarg == NULL)
				chroot_docroot = 1;
			else
				cfg->chroot_dir = optarg;
			break;
		case 'w':
			if (number_parse_str(optarg, 0, MAX_WORKERS, &n) != 0)
				return bad("invalid number of workers", optarg);
			cfg->workers = (int)n;
			break;
		case OPT_COMBINED:
			cfg->log_combined = 1;
			break;
		case OPT_LOG_TLS:
			cfg->log_tls = 1;
			break;
		case OPT_LOG_PEER:
			cfg->log_peer = 1;
			break;
		case OPT_PROXY_PROTOCOL:
			cfg->proxy_protocol = 1;
			break;
		case OPT_TRUSTED_PROXY:
			if (cfg->trusted_proxies == MAX_TRUSTED_PROXIES)
				return bad("too many trusted proxies at",
				    optarg);
			if (proxy_parse_net(optarg,
			    &cfg->trusted[cfg->trusted_proxies]) != 0)
				return bad("invalid network (ADDRESS or "
				    "ADDRESS/BITS, no host bits)", optarg);
			cfg->trusted_proxies++;
			break;
		case OPT_LOG_VHOST:
			cfg->log_vhost = 1;
			break;
		case OPT_VHOST:
			cfg->vhost = 1;
			break;
		case OPT_AUTH:
			if (!auth_built()) {
				fprintf(stderr, "%s: --auth: libxcrypt's "
				    "crypt_rn() was not found when %s was "
				    "built\n", PACKAGE_NAME, PACKAGE_NAME);
				return OPTIONS_USAGE;
			}
			if (cfg->auth_rules == MAX_AUTH_RULES)
				return bad("too many --auth options at",
				    optarg);
			if (auth_split_option(optarg, prefix, sizeof(prefix),
			    &file) != 0)
				return bad("--auth wants /PREFIX:FILE, not",
				    optarg);
			cfg->auth[cfg->auth_rules++] = optarg;
			break;
		case OPT_AUTH_PLAIN:
			cfg->auth_plain = 1;
			break;
		case OPT_ERROR_LOG:
			cfg->error_log = optarg;
			break;
		case OPT_ALLOW_ROOT:
			cfg->allow_root = 1;
			break;
		case OPT_GRACE:
			if (number_parse_str(optarg, 0, MAX_TIMEOUT_SEC, &n) != 0)
				return bad("invalid grace period", optarg);
			cfg->grace_sec = (int)n;
			break;
		case 'c':
			if (number_parse_str(optarg, 1, MAX_MAX_CLIENTS, &n) != 0)
				return bad("invalid number of clients", optarg);
			cfg->max_clients = (int)n;
			break;
		case OPT_MAX_PER_ADDRESS:
			if (number_parse_str(optarg, 0, MAX_MAX_CLIENTS, &n) != 0)
				return bad("invalid number of clients", optarg);
			cfg->max_per_address = (int)n;
			break;
		case 'd':
			cfg->docroot = optarg;
			break;
		case 'D':
			cfg->foreground = 1;
			break;
		case 'h':
			usage();
			return OPTIONS_EXIT;
		case 'm':
			*model_name = optarg;
			break;
		case 'p':
			if (number_parse_str(optarg, 0, 65535, &n) != 0)
				return bad("invalid port", optarg);
			cfg->port = optarg;
			break;
		case 'T':
			if (number_parse_str(optarg, 1, MAX_TIMEOUT_SEC, &n) != 0)
				return bad("invalid timeout", optarg);
			cfg->idle_timeout_sec = (int)n;
			break;
		case 'V':
			version();
			return OPTIONS_EXIT;
		case 't':
			cfg->test_only = 1;
			break;
		case OPT_DOTFILES:
			cfg->path_flags |= PATH_ALLOW_DOTFILES;
			break;
		case OPT_FOLLOW:
			cfg->follow_symlinks = 1;
			break;
		case OPT_LISTING:
			cfg->listing = 1;
			break;
		case OPT_HEADER_TIMEOUT:
			if (number_parse_str(optarg, 1, MAX_TIMEOUT_SEC, &n) != 0)
				return bad("invalid timeout", optarg);
			cfg->header_timeout_sec = (int)n;
			break;
		case OPT_SEND_TIMEOUT:
			if (number_parse_str(optarg, 1, MAX_TIMEOUT_SEC, &n) != 0)
				return bad("invalid timeout", optarg);
			cfg->send_timeout_sec = (int)n;
			break;
		case OPT_CHILD_DEADLINE:
			if (number_parse_str(optarg, 0, MAX_TIMEOUT_SEC, &n) != 0)
				return bad("invalid deadline", optarg);
			cfg->child_deadline_sec = (int)n;
			break;
		case OPT_STATUS: {
			char host[MAX_STATUS_HOST_BYTES];
			char port[MAX_STATUS_PORT_BYTES];

			if (listen_split(optarg, host, sizeof(host), port,
			    sizeof(port)) != 0 ||
			    number_parse_str(port, 0, 65535, &n) != 0)
				return bad("--status wants ADDRESS:PORT, not",
				    optarg);
			cfg->status = optarg;
			break;
		}
		case OPT_TLS_PORT:
			if (!tls_built())
				return no_tls("--tls-port");
			if (number_parse_str(optarg, 0, 65535, &n) != 0)
				return bad("invalid port", optarg);
			cfg->tls_port = optarg;
			break;
		case OPT_TLS_CERT:
		case OPT_TLS_KEY:
			if (!tls_built())
				return no_tls(ch == OPT_TLS_CERT ? "--tls-cert" :
				    "--tls-key");
			if (ch == OPT_TLS_CERT ?
			    pair_add(cfg->tls_cert, &certs, optarg) != 0 :
			    pair_add(cfg->tls_key, &keys, optarg) != 0)
				return bad("too many certificates at", optarg);
			break;
		case OPT_REDIRECT_HTTPS:
			if (!tls_built())
				return no_tls("--redirect-https");
			cfg->redirect_https = 1;
			break;
		case OPT_HSTS:
			if (!tls_built())
				return no_tls("--hsts");
			if (number_parse_str(optarg, 0, MAX_HSTS_SEC, &n) != 0)
				return bad("invalid HSTS max-age", optarg);
			cfg->hsts_sec = n;
			break;
		case OPT_PRECOMPRESSED:
			cfg->precompressed = 1;
			break;
		case OPT_HEADER:
			if (headers == MAX_EXTRA_HEADERS)
				return bad("too many --header options at",
				    optarg);
			header[headers++] = optarg;
			break;
		case OPT_MAX_AGE:
			if (number_parse_str(optarg, 0, MAX_MAX_AGE_SEC, &n) != 0)
				return bad("invalid max-age", optarg);
			cfg->max_age_sec = n;
			break;
		case OPT_CHARSET:
			if (strcmp(optarg, "none") == 0)
				cfg->charset = NULL;
			else if (!headers_valid_charset(optarg,
			    MAX_CHARSET_BYTES))
				return bad("invalid charset", optarg);
			else
				cfg->charset = optarg;
			break;
		case OPT_MIME_TYPES:
			cfg->mime_types = optarg;
			break;
		case ':':
			return bad("missing argument for", argv[optind - 1]);
		default:
			return bad("unrecognized option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad("unexpected argument", argv[optind]);
	if (add_headers(cfg, header, headers) != OPTIONS_RUN)
		return OPTIONS_USAGE;
	if (chroot_docroot && cfg->chroot_dir == NULL)
		cfg->chroot_dir = cfg->docroot;
	if (cfg->inetd && cfg->logfile != NULL && strcmp(cfg->logfile, "-") == 0)
		return bad("--inetd: standard output is the client; not a log "
		    "for", "-l -");
	if (cfg->proxy_protocol && cfg->trusted_proxies == 0)
		return bad("--proxy-protocol closes every client but trusted "
		    "proxies; none given with", "--trusted-proxy");
	if (cfg->workers > 0 && strcmp(*model_name, "event") != 0)
		return bad("--workers needs the event model, not", *model_name);
	if (certs != keys)
		return bad("every --tls-cert needs its --tls-key, and each key "
		    "its certificate: pairs given", certs > keys ?
		    cfg->tls_cert[certs - 1] : cfg->tls_key[keys - 1]);
	cfg->tls_pairs = certs;
	if (cfg->inetd && cfg->status != NULL)
		return bad("--inetd serves one connection; not with", "--status");
	if (cfg->inetd && (cfg->tls_port != NULL || certs > 0))
		return bad("--inetd serves plain HTTP only; not with",
		    "--tls-port");
	return OPTIONS_RUN;
}
