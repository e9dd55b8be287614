/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Descriptor flags.  Every descriptor a loop waits on is non-blocking, so
 * that no client can stall a worker, and close-on-exec, so that nothing
 * started later could inherit it.
 */
#ifndef FORKHTTPD_FD_H
#define FORKHTTPD_FD_H

/* Make fd non-blocking and close-on-exec: 0, or -1 with errno. */
int	fd_nonblock_cloexec(int fd);

#endif /* FORKHTTPD_FD_H */
