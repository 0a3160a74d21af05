/* SPDX-License-Identifier: BSD-3-Clause */
/* vfu-conform: the command line; wires arguments to the harness library. */
#include "config.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("%s\n", PACKAGE_STRING);
	return (0);
}
