/* SPDX-License-Identifier: BSD-2-Clause */
/* Descriptor flags, set the one way every file here wants them. */
#include <config.h>

#include <fcntl.h>

#include "fd.h"

int
fd_nonblock_cloexec(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	return 0;
}
