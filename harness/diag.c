/* SPDX-License-Identifier: BSD-3-Clause */
/* diag: see diag.h.  No allocation, no output. */
#include "config.h"
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
diag_clear(struct diag *d)
{
	if (d == NULL)
		return;
	memset(d, 0, sizeof(*d));
	d->offset = DIAG_NO_OFFSET;
}

static void diag_vmsg(struct diag *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
diag_vmsg(struct diag *d, const char *fmt, va_list ap)
{
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

int
diag_set(struct diag *d, const char *fmt, ...)
{
	va_list	ap;

	if (d == NULL)
		return (-1);
	diag_clear(d);
	va_start(ap, fmt);
	diag_vmsg(d, fmt, ap);
	va_end(ap);
	return (-1);
}

int
diag_errno(struct diag *d, int err, const char *fmt, ...)
{
	va_list	ap;
	size_t	n;

	if (d == NULL)
		return (-1);
	diag_clear(d);
	va_start(ap, fmt);
	diag_vmsg(d, fmt, ap);
	va_end(ap);
	n = strlen(d->msg);
	snprintf(d->msg + n, sizeof(d->msg) - n, ": %s", diag_strerror(err));
	return (-1);
}

const char *
diag_strerror(int err)
{
	const char *s = strerrordesc_np(err);

	return (s != NULL ? s : "Unknown error");
}

int
diag_field(struct diag *d, const char *field, size_t offset, const char *fmt,
    ...)
{
	va_list	ap;

	if (d == NULL)
		return (-1);
	diag_clear(d);
	snprintf(d->field, sizeof(d->field), "%s", field != NULL ? field : "");
	d->offset = offset;
	va_start(ap, fmt);
	diag_vmsg(d, fmt, ap);
	va_end(ap);
	return (-1);
}

int
diag_at(struct diag *d, const char *file, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list	ap;

	if (d == NULL)
		return (-1);
	diag_clear(d);
	snprintf(d->file, sizeof(d->file), "%s", file != NULL ? file : "");
	d->line = line;
	d->col = col;
	va_start(ap, fmt);
	diag_vmsg(d, fmt, ap);
	va_end(ap);
	return (-1);
}

int
diag_prefix(struct diag *d, const char *fmt, ...)
{
	char	pre[256], old[sizeof(d->msg)];
	va_list	ap;

	if (d == NULL)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, d->msg, sizeof(old));
	/* Truncation is acceptable: the message stays a valid string. */
	if (snprintf(d->msg, sizeof(d->msg), "%s: %s", pre, old) < 0)
		d->msg[0] = '\0';
	return (-1);
}

const char *
diag_str(const struct diag *d, char *buf, size_t len)
{
	if (d->file[0] != '\0' && d->line != 0 && d->col != 0)
		snprintf(buf, len, "%s:%u:%u: %s", d->file, d->line, d->col,
		    d->msg);
	else if (d->file[0] != '\0' && d->line != 0)
		snprintf(buf, len, "%s:%u: %s", d->file, d->line, d->msg);
	else if (d->file[0] != '\0')
		snprintf(buf, len, "%s: %s", d->file, d->msg);
	else if (d->field[0] != '\0' && d->offset != DIAG_NO_OFFSET)
		snprintf(buf, len, "field '%s' at byte %zu: %s", d->field,
		    d->offset, d->msg);
	else if (d->field[0] != '\0')
		snprintf(buf, len, "field '%s': %s", d->field, d->msg);
	else
		snprintf(buf, len, "%s", d->msg);
	return (buf);
}
