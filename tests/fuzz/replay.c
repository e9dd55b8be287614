/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A stand-in for libFuzzer's main(): linked with one harness, it feeds every
 * regular file of the seed corpus CORPUS_DIR (a string macro), and of any
 * file or directory named on the command line, to LLVMFuzzerTestOneInput()
 * once, and reports the result as a single TAP test.  This lets `make check`
 * replay the corpus, crash reproducers included, with any compiler.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CORPUS_DIR
#error "compile with -DCORPUS_DIR='\"path/to/corpus\"'"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input being run, for the message if a harness check aborts. */
static char current[4096];

static void
on_crash(int sig)
{
	static const char head[] = "Bail out! input crashed: ";

	(void)!write(STDOUT_FILENO, head, sizeof(head) - 1);
	(void)!write(STDOUT_FILENO, current, strlen(current));
	(void)!write(STDOUT_FILENO, "\n", 1);
	raise(sig);	/* SA_RESETHAND restored the default */
}

/* Name the input on a fatal signal, unless a sanitizer already handles it. */
static void
trap_signal(int sig)
{
	struct sigaction sa;

	if (sigaction(sig, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL ||
	    (sa.sa_flags & SA_SIGINFO))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Runs one file; returns 0, or -1 if it cannot be read. */
static int
replay_file(const char *name)
{
	FILE *fp;
	char *data = NULL, *bigger;
	size_t len = 0, cap = 0, got;

	if ((fp = fopen(name, "rb")) == NULL) {
		printf("# %s: %s\n", name, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((bigger = realloc(data, cap)) == NULL) {
				printf("# %s: out of memory\n", name);
				free(data);
				fclose(fp);
				return -1;
			}
			data = bigger;
		}
		got = fread(data + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		printf("# %s: read error\n", name);
		free(data);
		fclose(fp);
		return -1;
	}
	fclose(fp);

	snprintf(current, sizeof(current), "%s", name);
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	current[0] = '\0';
	free(data);
	return 0;
}

/*
 * Runs a regular file, or each regular file directly inside a directory.
 * Adds to *count; returns -1 if anything could not be read.
 */
static int
replay_path(const char *name, unsigned long *count)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char *file;
	size_t n;
	int rc = 0;

	if (stat(name, &st) != 0) {
		printf("# %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		if (replay_file(name) != 0)
			return -1;
		++*count;
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		printf("# %s: neither a file nor a directory\n", name);
		return -1;
	}
	if ((d = opendir(name)) == NULL) {
		printf("# %s: %s\n", name, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(name) + strlen(de->d_name) + 2;
		if ((file = malloc(n)) == NULL) {
			rc = -1;
			break;
		}
		snprintf(file, n, "%s/%s", name, de->d_name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(file) != 0)
				rc = -1;
			else
				++*count;
		}
		free(file);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long count = 0, seeds;
	int i, bad = 0;

	printf("1..1\n");
	fflush(stdout);
	trap_signal(SIGABRT);
	trap_signal(SIGSEGV);
	trap_signal(SIGBUS);
	trap_signal(SIGFPE);
	trap_signal(SIGILL);

	if (replay_path(CORPUS_DIR, &count) != 0)
		bad = 1;
	seeds = count;
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) != 0)
			bad = 1;

	if (bad || seeds == 0)
		printf("not ok 1 - replayed %lu inputs from %s\n", count,
		    CORPUS_DIR);
	else
		printf("ok 1 - replayed %lu inputs from %s\n", count,
		    CORPUS_DIR);
	return bad || seeds == 0;
}
