/* SPDX-License-Identifier: BSD-2-Clause */
/* Each check_*.c defines test_suite(); check_main.c runs it as TAP. */
#ifndef FORKHTTPD_TESTS_H
#define FORKHTTPD_TESTS_H

#include <check.h>

Suite	*test_suite(void);

#endif /* FORKHTTPD_TESTS_H */
