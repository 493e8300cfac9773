/*
 * html_json.c - JSON values for the HTML report's data (see html_json.h).
 * Rows are written one at a time, so the buffer stays the size of a row
 * (or of one calls item) however big the section.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "html_json.h"

void wt_jb_free(struct wt_jb *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void wt_jb_reset(struct wt_jb *b)
{
	b->n = 0;
}

void wt_jb_put(struct wt_jb *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		while (ncap < b->n + n + 1)
			ncap *= 2;
		char *np = realloc(b->p, ncap);
		if (!np) {
			b->failed = true;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

void wt_jb_puts(struct wt_jb *b, const char *s)
{
	wt_jb_put(b, s, strlen(s));
}

void wt_jb_int(struct wt_jb *b, sqlite3_int64 v)
{
	char num[24];
	wt_jb_put(b, num, snprintf(num, sizeof(num), "%lld", (long long)v));
}

void wt_jb_string(struct wt_jb *b, const char *s)
{
	if (!s) {
		wt_jb_puts(b, "null");
		return;
	}
	wt_jb_put(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const unsigned char *run = p;
		while (*p && *p >= 0x20 && *p != '"' && *p != '\\' && *p != '<')
			p++;
		wt_jb_put(b, (const char *)run, p - run);
		if (!*p)
			break;
		char esc[8];
		if (*p == '"' || *p == '\\')
			snprintf(esc, sizeof(esc), "\\%c", *p);
		else
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
		wt_jb_puts(b, esc);
	}
	wt_jb_put(b, "\"", 1);
}

static void put_real(struct wt_jb *b, double v)
{
	char num[32];
	if (!isfinite(v)) {
		wt_jb_puts(b, "null"); /* JSON has no inf or nan */
		return;
	}
	wt_jb_put(b, num, snprintf(num, sizeof(num), "%.17g", v));
}

static void put_hex(struct wt_jb *b, const unsigned char *p, int n)
{
	static const char digits[] = "0123456789abcdef";
	wt_jb_put(b, "\"", 1);
	for (int i = 0; i < n; i++) {
		char h[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
		wt_jb_put(b, h, 2);
	}
	wt_jb_put(b, "\"", 1);
}

void wt_jb_column(struct wt_jb *b, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		wt_jb_int(b, sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		put_real(b, sqlite3_column_double(st, i));
		break;
	case SQLITE_TEXT:
		wt_jb_string(b, (const char *)sqlite3_column_text(st, i));
		break;
	case SQLITE_BLOB:
		put_hex(b, sqlite3_column_blob(st, i),
			sqlite3_column_bytes(st, i));
		break;
	default:
		wt_jb_puts(b, "null");
	}
}

void wt_jb_row(struct wt_jb *b, sqlite3_stmt *st, int ncol)
{
	wt_jb_put(b, "[", 1);
	for (int i = 0; i < ncol; i++) {
		if (i)
			wt_jb_put(b, ",", 1);
		wt_jb_column(b, st, i);
	}
	wt_jb_put(b, "]", 1);
}

void wt_jb_cols(struct wt_jb *b, sqlite3_stmt *st, int ncol)
{
	wt_jb_put(b, "[", 1);
	for (int i = 0; i < ncol; i++) {
		if (i)
			wt_jb_put(b, ",", 1);
		wt_jb_string(b, sqlite3_column_name(st, i));
	}
	wt_jb_put(b, "]", 1);
}

int wt_jb_flush(struct wt_jb *b, FILE *f)
{
	if (b->failed)
		return -1;
	if (b->n && fwrite(b->p, 1, b->n, f) != b->n)
		return -1;
	b->n = 0;
	return 0;
}
