/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The password tables of --auth: one per option, read whole at start-up
 * (as root, so the file may be root's alone) and again on SIGHUP through
 * the opener.  A table is replaced only by a good one, under a lock that
 * the threads of the thread model take to read it; a forked child has
 * its own copy.  Passwords are checked with crypt_rn() and the result
 * compared in constant time.
 */
#include <config.h>

#ifdef HAVE_XCRYPT
#include <crypt.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"

#define AUTH_ERR_BYTES	512

struct auth_entry {
	const char	*user;
	const char	*hash;
};

struct auth_table {
	char		*text;		/* the file; entries point into it */
	struct auth_entry *e;
	size_t		 n;
};

struct auth_rule {
	char		 prefix[AUTH_PREFIX_BYTES];
	char		 realm[AUTH_PREFIX_BYTES + 1];	/* "/" prefix */
	const char	*file;
	struct auth_table *table;
};

static struct auth_rule	rules[MAX_AUTH_RULES];
static int		nrules;
static pthread_rwlock_t	lock = PTHREAD_RWLOCK_INITIALIZER;
static atomic_uint	generation;	/* a new table: forget the cache */

/*
 * Each thread's last good credentials: the Authorization value as sent,
 * for which rule, under which generation.  A hit costs a comparison, not
 * a hash.
 */
static _Thread_local char	last_value[MAX_AUTH_HEADER_BYTES + 1];
static _Thread_local int	last_rule = -1;
static _Thread_local unsigned	last_generation;

static int
open_plain(int index, const char *path)
{
	(void)index;
	return open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

static auth_opener *opener = open_plain;

void
auth_set_opener(auth_opener *fn)
{
	opener = fn;
}

static void
table_free(struct auth_table *t)
{
	if (t == NULL)
		return;
	free(t->text);
	free(t->e);
	free(t);
}

/* Read the whole regular file fd (closing it); the text, or NULL. */
static char *
read_file(int fd, const char *path, char *err, size_t errsize)
{
	struct stat st;
	char *text = NULL;
	size_t got = 0;
	ssize_t n;

	if (fstat(fd, &st) != 0) {
		(void)snprintf(err, errsize, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_AUTH_FILE_BYTES) {
		(void)snprintf(err, errsize, "%s: not a regular file of at "
		    "most %d bytes", path, MAX_AUTH_FILE_BYTES);
		goto out;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		(void)snprintf(err, errsize, "%s: %s", path, strerror(errno));
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, text + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			(void)snprintf(err, errsize, "%s: %s", path,
			    n < 0 ? strerror(errno) : "shorter than it was");
			free(text);
			text = NULL;
			goto out;
		}
		got += (size_t)n;
	}
	text[got] = '\0';
out:
	(void)close(fd);
	return text;
}

/* Does crypt(3) take this hash? */
static int
hash_usable(const char *hash)
{
#ifdef HAVE_XCRYPT
	return crypt_checksalt(hash) == CRYPT_SALT_OK;
#else
	(void)hash;
	return 0;
#endif
}

int
auth_built(void)
{
#ifdef HAVE_XCRYPT
	return 1;
#else
	return 0;
#endif
}

/*
 * Parse text into t: every line an entry, a blank or a comment.  A line
 * that is not, a hash we refuse, a user named twice: -1 with the line.
 */
static int
parse_table(struct auth_table *t, const char *path, char *err,
    size_t errsize)
{
	char *line = t->text, *nl;
	struct span user, hash;
	size_t lineno = 0, i, len;

	for (; *line != '\0'; line = nl + 1) {
		lineno++;
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (memchr(line, '\0', len) != NULL)
			goto bad;
		switch (auth_parse_line(line, len, &user, &hash)) {
		case AUTH_LINE_BLANK:
			break;
		case AUTH_LINE_BAD:
			goto bad;
		case AUTH_LINE_WEAK:
			(void)snprintf(err, errsize, "%s:%zu: not a bcrypt, "
			    "yescrypt or SHA-512 crypt hash (plain text, DES, "
			    "MD5 and SHA-1 are refused; htpasswd -B makes "
			    "bcrypt)", path, lineno);
			return -1;
		case AUTH_LINE_ENTRY:
			if (t->n == MAX_AUTH_USERS) {
				(void)snprintf(err, errsize, "%s:%zu: more "
				    "than %d users", path, lineno,
				    MAX_AUTH_USERS);
				return -1;
			}
			line[user.n] = '\0';
			line[user.n + 1 + hash.n] = '\0';
			if (!hash_usable(hash.p)) {
				(void)snprintf(err, errsize, "%s:%zu: a hash "
				    "this crypt(3) does not take", path,
				    lineno);
				return -1;
			}
			for (i = 0; i < t->n; i++)
				if (strcmp(t->e[i].user, user.p) == 0) {
					(void)snprintf(err, errsize, "%s:%zu: "
					    "user %s again", path, lineno,
					    user.p);
					return -1;
				}
			t->e[t->n].user = user.p;
			t->e[t->n].hash = hash.p;
			t->n++;
			break;
		}
		if (nl == NULL)
			break;
	}
	if (t->n == 0) {
		(void)snprintf(err, errsize, "%s: no users", path);
		return -1;
	}
	return 0;
bad:
	(void)snprintf(err, errsize, "%s:%zu: not \"user:hash\"", path,
	    lineno);
	return -1;
}

/* Read rule i's file into a new table; NULL with err set. */
static struct auth_table *
load(int i, const char *path, char *err, size_t errsize)
{
	struct auth_table *t;
	int fd;

	if ((fd = opener(i, path)) < 0) {
		(void)snprintf(err, errsize, "cannot open the password file "
		    "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->e = calloc(MAX_AUTH_USERS, sizeof(*t->e))) == NULL) {
		(void)snprintf(err, errsize, "%s: %s", path, strerror(errno));
		(void)close(fd);
		table_free(t);
		return NULL;
	}
	if ((t->text = read_file(fd, path, err, errsize)) == NULL ||
	    parse_table(t, path, err, errsize) != 0) {
		table_free(t);
		return NULL;
	}
	return t;
}

int
auth_setup(const struct config *cfg, char *err, size_t errsize)
{
	const char *file;
	int i;

	for (i = 0; i < cfg->auth_rules; i++) {
		if (auth_split_option(cfg->auth[i], rules[i].prefix,
		    sizeof(rules[i].prefix), &file) != 0) {
			(void)snprintf(err, errsize, "--auth %s: not "
			    "/PREFIX:FILE", cfg->auth[i]);
			return -1;
		}
		rules[i].realm[0] = '/';
		memcpy(rules[i].realm + 1, rules[i].prefix,
		    strlen(rules[i].prefix) + 1);
		rules[i].file = file;
		if ((rules[i].table = load(i, file, err, errsize)) == NULL)
			return -1;
		nrules = i + 1;
	}
	return 0;
}

void
auth_reload(const struct config *cfg)
{
	char err[AUTH_ERR_BYTES];
	struct auth_table *t, *old;
	int i;

	(void)cfg;
	for (i = 0; i < nrules; i++) {
		if ((t = load(i, rules[i].file, err, sizeof(err))) == NULL) {
			log_warnx("%s; keeping the passwords read before",
			    err);
			continue;
		}
		(void)pthread_rwlock_wrlock(&lock);
		old = rules[i].table;
		rules[i].table = t;
		atomic_fetch_add(&generation, 1);
		(void)pthread_rwlock_unlock(&lock);
		table_free(old);
	}
}

/* A user name for the log: printable ASCII, the rest as '?'. */
static void
printable(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '"' || *s == '\\')
			*s = '?';
}

/*
 * Check pass for user against rule r's table.  An unknown user costs a
 * hash all the same, so that the time taken does not tell who exists.
 */
static int
verify(int r, const char *user, const char *pass, int *known)
{
#ifdef HAVE_XCRYPT
	struct crypt_data data;
#endif
	const struct auth_table *t;
	const char *hash, *out = NULL;
	size_t i;
	int ok = 0;

	*known = 0;
	(void)pthread_rwlock_rdlock(&lock);
	t = rules[r].table;
	hash = t->e[0].hash;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].user, user) == 0) {
			hash = t->e[i].hash;
			*known = 1;
			break;
		}
#ifdef HAVE_XCRYPT
	memset(&data, 0, sizeof(data));
	out = crypt_rn(pass, hash, &data, (int)sizeof(data));
#else
	(void)pass;
#endif
	ok = *known && out != NULL && auth_equal(out, hash);
	(void)pthread_rwlock_unlock(&lock);
#ifdef HAVE_XCRYPT
	explicit_bzero(&data, sizeof(data));
#endif
	return ok;
}

/* The rule whose prefix covers name, the longest, or -1. */
static int
rule_of(const char *name)
{
	int i, m, best = -1, best_len = -1;

	for (i = 0; i < nrules; i++)
		if ((m = auth_prefix_match(rules[i].prefix, name)) > best_len) {
			best = i;
			best_len = m;
		}
	return best;
}

const char *
auth_realm(const char *name)
{
	int r = rule_of(name);

	return r >= 0 ? rules[r].realm : NULL;
}

enum auth_result
auth_check(const struct config *cfg, const char *name,
    struct span authorization, const char *addr, const char **realm)
{
	char user[AUTH_USER_BYTES], pass[AUTH_PASS_BYTES];
	char sent[MAX_AUTH_HEADER_BYTES + 1];
	int best, known = 0;
	unsigned gen;

	(void)cfg;
	if ((best = rule_of(name)) < 0)
		return AUTH_FREE;
	*realm = rules[best].realm;
	if (authorization.p == NULL || authorization.n == 0)
		return AUTH_REQUIRED;
	gen = atomic_load(&generation);
	if (authorization.n >= sizeof(sent))
		return AUTH_REFUSED;
	memcpy(sent, authorization.p, authorization.n);
	sent[authorization.n] = '\0';
	if (last_rule == best && last_generation == gen &&
	    auth_equal(last_value, sent))
		return AUTH_GRANTED;
	if (auth_decode_basic(authorization, user, sizeof(user), pass,
	    sizeof(pass)) != 0) {
		log_warnx("%s: unreadable credentials for %s", addr != NULL &&
		    *addr != '\0' ? addr : "-", rules[best].realm);
		return AUTH_REFUSED;
	}
	if (verify(best, user, pass, &known)) {
		explicit_bzero(pass, sizeof(pass));
		memcpy(last_value, sent, authorization.n + 1);
		last_rule = best;
		last_generation = gen;
		return AUTH_GRANTED;
	}
	explicit_bzero(pass, sizeof(pass));
	printable(user);
	log_warnx("%s: %s \"%s\" under %s", addr != NULL &&
	    *addr != '\0' ? addr : "-", known ? "wrong password for user" :
	    "no such user as", user, rules[best].realm);
	return AUTH_REFUSED;
}

void
auth_cleanup(void)
{
	int i;

	for (i = 0; i < nrules; i++) {
		table_free(rules[i].table);
		rules[i].table = NULL;
	}
	nrules = 0;
}
