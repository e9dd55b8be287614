/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The main() of every Check suite.  Results go to stdout as TAP so that
 * automake's summary counts each test case; CK_VERBOSITY and CK_FORK work
 * as usual (CK_FORK=no for gdb).
 */
#include <stdlib.h>

#include "tests.h"

int
main(void)
{
	SRunner *sr = srunner_create(test_suite());
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
