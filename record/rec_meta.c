/*
 * rec_meta.c - META chunk text (see rec_meta.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "rec_meta.h"

/* Long values (pid lists) without kv()'s bound; they hold no newline. */
static int kv_str(struct wt_buf *b, const char *key, const char *val)
{
	if (wt_buf_append(b, key, strlen(key)) < 0 ||
	    wt_buf_append(b, "=", 1) < 0 ||
	    wt_buf_append(b, val, strlen(val)) < 0 ||
	    wt_buf_append(b, "\n", 1) < 0)
		return -1;
	return 0;
}

static int kv(struct wt_buf *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int kv(struct wt_buf *b, const char *key, const char *fmt, ...)
{
	char val[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	/* a value never spans lines: the format is one key=value per line */
	for (char *p = val; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return kv_str(b, key, val);
}

uint64_t wt_rec_trace_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static bool plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_./=:,+-@%^", c);
}

static int quote_word(struct wt_buf *b, const char *w)
{
	bool plain = *w != '\0', ctrl = false;
	char esc[8];

	for (const char *p = w; *p; p++) {
		plain = plain && plain_char(*p);
		ctrl = ctrl || (unsigned char)*p < 0x20 || *p == 0x7f;
	}
	if (plain)
		return wt_buf_append(b, w, strlen(w));
	if (wt_buf_append(b, ctrl ? "$'" : "'", ctrl ? 2 : 1) < 0)
		return -1;
	for (const char *p = w; *p; p++) {
		const char *s = esc;

		if (ctrl && ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\' || *p == '\''))
			snprintf(esc, sizeof(esc), "\\x%02x", (unsigned char)*p);
		else if (!ctrl && *p == '\'')
			s = "'\\''";
		else
			snprintf(esc, sizeof(esc), "%c", *p);
		if (wt_buf_append(b, s, strlen(s)) < 0)
			return -1;
	}
	return wt_buf_append(b, "'", 1);
}

int wt_rec_shell_quote(struct wt_buf *b, int argc, char **argv)
{
	for (int i = 0; argc < 0 ? argv[i] != NULL : i < argc; i++) {
		if ((i && wt_buf_append(b, " ", 1) < 0) || quote_word(b, argv[i]) < 0)
			return -1;
	}
	return 0;
}

/* Append "key=" + @prefix + the shell-quoted words + "\n". */
static int kv_quoted(struct wt_buf *b, const char *key, const char *prefix,
		     int argc, char **argv)
{
	if (wt_buf_append(b, key, strlen(key)) < 0 || wt_buf_append(b, "=", 1) < 0 ||
	    wt_buf_append(b, prefix, strlen(prefix)) < 0)
		return -1;
	if (argv && wt_rec_shell_quote(b, argc, argv) < 0)
		return -1;
	return wt_buf_append(b, "\n", 1);
}

/* probe.0=p:wtrec_123/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32 ... */
static int probe_lines(struct wt_buf *b, const struct wt_rec_start_info *si)
{
	char key[32];

	for (int i = 0; i < si->nprobes; i++) {
		snprintf(key, sizeof(key), "probe.%d", i);
		if (kv_str(b, key, si->probes[i]) < 0)
			return -1;
	}
	return 0;
}

int wt_rec_meta_start(struct wt_buf *b, const struct wt_rec_start_info *si)
{
	char host[256] = "?";
	struct utsname u;
	uint64_t wall, trace;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	gethostname(host, sizeof(host) - 1);
	/* back to back: the pair anchors trace timestamps to wall time */
	wall = realtime_ns();
	trace = wt_rec_trace_clock_ns();
	if (kv(b, "version", "%s", WT_VERSION) < 0 ||
	    kv(b, "host", "%s", host) < 0 ||
	    kv(b, "kernel", "%s", u.release) < 0 ||
	    kv(b, "kernel_build", "%s", u.version) < 0 ||
	    kv(b, "arch", "%s", u.machine) < 0 ||
	    kv(b, "cpus", "%d", si->cpus) < 0 ||
	    kv(b, "page_size", "%ld", sysconf(_SC_PAGESIZE)) < 0 ||
	    kv(b, "subbuf_size", "%d", si->subbuf_size) < 0 ||
	    kv(b, "clock", "boot") < 0 ||
	    kv(b, "wall_realtime_ns", "%llu", (unsigned long long)wall) < 0 ||
	    kv(b, "wall_trace_ns", "%llu", (unsigned long long)trace) < 0 ||
	    kv(b, "backend", "%s", si->backend) < 0 ||
	    probe_lines(b, si) < 0 ||
	    kv(b, "wait_memory", "%s", si->wait_memory) < 0 ||
	    kv_quoted(b, "cmdline", "wtrec ", si->argc, si->argv) < 0 ||
	    kv(b, "scope", "%s", si->scope) < 0 ||
	    kv_str(b, "scope_pids", si->scope_pids) < 0 ||
	    (si->scope_cgroup &&
	     kv_str(b, "scope_cgroup", si->scope_cgroup) < 0) ||
	    (si->scope_container &&
	     kv_str(b, "scope_container", si->scope_container) < 0) ||
	    kv_quoted(b, "command", "", -1, si->command) < 0 ||
	    kv(b, "start_ns", "%llu", (unsigned long long)si->start_ns) < 0 ||
	    kv_str(b, "events", si->events) < 0 ||
	    kv_str(b, "missing_events", si->missing_events) < 0 ||
	    kv(b, "buffer_kb", "%lu", si->buffer_kb) < 0)
		return -1;
	if (si->series && (kv_str(b, "series", si->series) < 0 ||
			   kv(b, "series_file", "%u", si->series_file) < 0))
		return -1;
	return 0;
}

int wt_rec_meta_restart(struct wt_buf *b, uint64_t start_ns)
{
	/* back to back, like the start META's pair */
	uint64_t wall = realtime_ns(), trace = wt_rec_trace_clock_ns();

	if (kv(b, "start_ns", "%llu", (unsigned long long)start_ns) < 0 ||
	    kv(b, "wall_realtime_ns", "%llu", (unsigned long long)wall) < 0 ||
	    kv(b, "wall_trace_ns", "%llu", (unsigned long long)trace) < 0)
		return -1;
	return 0;
}

int wt_rec_meta_stop(struct wt_buf *b, uint64_t stop_ns,
		     const char *command_status, const char *stop_reason)
{
	if (kv(b, "stop_ns", "%llu", (unsigned long long)stop_ns) < 0 ||
	    kv(b, "command_status", "%s", command_status) < 0 ||
	    kv(b, "stop_reason", "%s", stop_reason) < 0)
		return -1;
	return 0;
}
