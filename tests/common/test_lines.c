/*
 * test_lines.c - common/lines.c: how texts split into lines, spelled out
 * case by case ("|" separates the lines expected; "<>" is an empty line).
 */
#include <stdio.h>
#include <string.h>
#include "lines.h"
#include "tcheck.h"

static const struct {
	int id;
	const char *text;
	size_t len;       /* bytes of text given (may stop short of its NUL) */
	const char *want;
} cases[] = {
	{ 1, "", 0, "" },
	{ 2, "a", 1, "a" },
	{ 3, "a\n", 2, "a" },
	{ 4, "a\nb", 3, "a|b" },
	{ 5, "a\n\nb\n", 5, "a|<>|b" },
	{ 6, "\n", 1, "<>" },
	{ 7, "\n\n", 2, "<>|<>" },
	{ 8, "key=value\nx", 5, "key=v" },   /* the length bounds the text */
	{ 9, "a\0b\nc", 5, "a?b|c" },         /* a NUL is just a byte */
	{ 10, "a\r\nb", 4, "a\r|b" },         /* '\r' stays the caller's */
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wt_lines it = wt_lines_of(cases[i].text, cases[i].len);
		char got[128] = "";
		const char *s;
		size_t n, at = 0;

		while (wt_lines_next(&it, &s, &n) && at + n + 4 < sizeof(got)) {
			if (at)
				got[at++] = '|';
			if (!n) {
				memcpy(got + at, "<>", 2);
				at += 2;
			}
			for (size_t k = 0; k < n; k++)
				got[at++] = s[k] ? s[k] : '?';
			got[at] = '\0';
		}
		check(!strcmp(got, cases[i].want), cases[i].id, "lines", got,
		      cases[i].want);
	}
	return tcheck_report();
}
