/* SPDX-License-Identifier: BSD-3-Clause */
#include "config.h"
#include <check.h>
#include <stdlib.h>
int
main(void)
{
	return (0);
}
