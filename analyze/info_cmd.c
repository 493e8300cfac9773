/*
 * info_cmd.c - `wtrec info FILE [-p PID[,PID...]] [--json]`: describe a
 * recording without building a database: header, metadata, chunks (count,
 * compressed and raw bytes per type), decoded events per event name, per-CPU
 * kernel stats, lost events, trailer, damage.
 *
 * It reads the file three times: one chunk scan of its own (sizes and the
 * trailer, which the decoder does not expose; CPU data is not inflated
 * there) and the decoder's two passes.
 * Exit status: 0 whole file, 1 damaged or cut short (no trailer) but
 * readable, 2 unreadable, bad usage, or the output could not be written.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "wtfile.h"
#include "analyze_cmd.h"
#include "decode.h"
#include "decode_events.h"
#include "decode_merge.h"
#include "meta.h"

#define MAX_PIDS 64
#define NTYPES (WT_CHUNK_TYPE_MAX + 2) /* [TYPE_MAX + 1] = unknown types */

struct info_opts {
	const char *file;
	bool json;
	int32_t pids[MAX_PIDS];
	int npids; /* 0 = count every event */
};

struct chunk_stats {
	uint64_t count[NTYPES], comp[NTYPES], raw[NTYPES];
	uint64_t codec[WT_CODEC_MAX + 1]; /* chunks stored with each */
	struct wt_file_header hdr;
	uint64_t size;
	struct wt_meta trailer;
	char damage[512]; /* reader message, "" when the scan was clean */
};

/* Events counted by (type, variant): variant 1 = waitid / exit (not group). */
struct info_ctx {
	const struct info_opts *o;
	struct wt_meta meta;
	uint64_t ev[WT_EV_LOST + 1][2];
	uint64_t *per_cpu;  /* decoded records per CPU (unfiltered) */
	struct wt_cpu_stats *stats;
	size_t nstats, stats_cap;
	int failed;
};

static const char usage_text[] =
"usage: wtrec info FILE [-p PID[,PID...]] [--json]\n"
"\n"
"Describe a .wtrec recording: header, metadata, chunks, events per kind,\n"
"per-CPU kernel stats, lost events, trailer and any damage.\n"
"\n"
"  -p, --pid PIDS  count only events of these threads (common_pid)\n"
"      --json      print one JSON object instead of text\n"
"  -h, --help      this text\n"
"\n"
"Examples:\n"
"  wtrec info wtrec.wtrec              # is it whole? what was recorded, lost?\n"
"  wtrec info wtrec.wtrec -p 1234,1240 # events of these threads only\n"
"  wtrec info wtrec.wtrec --json | jq .events\n"
"\n"
"Exit status: 0 whole file, 1 damaged or cut short, 2 unreadable or usage.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "wtrec info: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'wtrec info --help'.\n");
	return 2;
}

static int parse_pids(struct info_opts *o, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int rc = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long v = strtol(tok, &end, 10);

		if (*end || end == tok || v <= 0 || v > INT32_MAX ||
		    o->npids == MAX_PIDS) {
			rc = -1;
			break;
		}
		o->pids[o->npids++] = (int32_t)v;
	}
	if (!o->npids)
		rc = -1;
	free(copy);
	return rc;
}

/* 0 ok, 1 --help printed, 2 usage error printed. */
static int parse_args(int argc, char **argv, struct info_opts *o)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	/* leading ':': a missing value is ':' rather than '?' */
	while ((c = getopt_long(argc, argv, ":p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_pids(o, optarg) < 0)
				return usage_error("bad pid list '%s'", optarg);
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case ':':
			return usage_error("option '%s' needs a value",
					   argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc ? "missing FILE"
							 : "expected exactly one FILE");
	o->file = argv[optind];
	return 0;
}

/* ---- chunk scan ---------------------------------------------------------- */

/* Returns 0, or -1 when the file header is unreadable (message in cs). */
static int scan_chunks(const char *path, struct chunk_stats *cs)
{
	struct wt_reader *r = wt_reader_open(path, cs->damage, sizeof(cs->damage));
	struct wt_chunk c;
	int rc;

	if (!r)
		return -1;
	cs->hdr = *wt_reader_header(r);
	cs->size = wt_reader_size(r);
	/* Sizes need no payload: CPU_DATA chunks (nearly all of the file) are
	 * CRC-checked but not inflated here; the decoder's second pass
	 * inflates them once and reports any that do not. */
	while ((rc = wt_reader_next_lazy(r, &c, WT_CHUNK_CPU_DATA, 0)) == 1) {
		unsigned t = c.type >= 1 && c.type <= WT_CHUNK_TYPE_MAX ?
			     c.type : WT_CHUNK_TYPE_MAX + 1;

		cs->count[t]++;
		cs->codec[c.codec]++;
		cs->raw[t] += c.len;
		cs->comp[t] += wt_reader_offset(r) - c.offset - WT_CHUNK_HEADER_LEN;
		if (c.type == WT_CHUNK_TRAILER)
			wt_meta_parse(&cs->trailer, (const char *)c.data, c.len,
				      NULL);
	}
	if (rc < 0)
		snprintf(cs->damage, sizeof(cs->damage), "%s", wt_reader_error(r));
	wt_reader_close(r);
	return 0;
}

/* ---- sink ---------------------------------------------------------------- */

static int on_meta(void *ctx, const char *key, const char *value)
{
	struct info_ctx *ic = ctx;

	return wt_meta_set(&ic->meta, key, value);
}

static bool wanted(const struct info_opts *o, int32_t tid)
{
	if (!o->npids)
		return true;
	for (int i = 0; i < o->npids; i++)
		if (o->pids[i] == tid)
			return true;
	return false;
}

static int variant(const struct wt_event *ev)
{
	switch (ev->type) {
	case WT_EV_WAIT_ENTER:
		return ev->wait_enter.sys == WT_SYS_WAITID;
	case WT_EV_WAIT_EXIT:
		return ev->wait_exit.sys == WT_SYS_WAITID;
	case WT_EV_EXIT_CALL:
		return !ev->exit_call.group;
	default:
		return 0;
	}
}

static int on_event(void *ctx, const struct wt_event *ev)
{
	struct info_ctx *ic = ctx;

	if (ev->cpu >= 0 && ev->cpu < WT_MAX_CPUS && ev->type != WT_EV_LOST)
		ic->per_cpu[ev->cpu]++;
	if (ev->type == WT_EV_LOST || wanted(ic->o, ev->tid))
		ic->ev[ev->type][variant(ev)]++;
	return 0;
}

static int on_stats(void *ctx, const struct wt_cpu_stats *s)
{
	struct info_ctx *ic = ctx;

	if (wt_array_reserve(&ic->stats, &ic->stats_cap, ic->nstats + 1,
			     sizeof(*ic->stats)) < 0)
		return -1;
	ic->stats[ic->nstats++] = *s;
	return 0;
}

/* Was the file recorded with the kprobe backend (META backend=kprobe)? */
static bool kprobe_file(const struct info_ctx *ic)
{
	const char *b = wt_meta_get(&ic->meta, "backend");

	return b && !strcmp(b, "kprobe");
}

/* The event name of (type, variant), from the decoder's naming: a kprobe
 * recording's wait events under their probes' names, since that is what
 * the file holds (the model sees them normalized to the tracepoints). */
static const char *ev_name(int type, int var, bool kprobe)
{
	struct wt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = (enum wt_ev_type)type;
	if (type == WT_EV_WAIT_ENTER)
		ev.wait_enter.sys = var ? WT_SYS_WAITID : WT_SYS_WAIT4;
	else if (type == WT_EV_WAIT_EXIT)
		ev.wait_exit.sys = var ? WT_SYS_WAITID : WT_SYS_WAIT4;
	else if (type == WT_EV_EXIT_CALL)
		ev.exit_call.group = !var;
	else if (type == WT_EV_PIDNS)
		ev.pidns.unshare = !var;
	else if (type == WT_EV_PIDNS_FAIL)
		ev.pidns_fail.unshare = !var;
	return kprobe ? wt_event_kprobe_name(&ev) : wt_event_name(&ev);
}

/* Rows printed for events, in this order. */
static const struct {
	enum wt_ev_type type;
	int var;
} rows[] = {
	{ WT_EV_WAIT_ENTER, 0 }, { WT_EV_WAIT_EXIT, 0 },
	{ WT_EV_WAIT_ENTER, 1 }, { WT_EV_WAIT_EXIT, 1 },
	{ WT_EV_FORK, 0 },       { WT_EV_NEWTASK, 0 },
	{ WT_EV_EXEC, 0 },       { WT_EV_EXIT, 0 },
	{ WT_EV_FREE, 0 },       { WT_EV_EXIT_CALL, 0 },
	{ WT_EV_EXIT_CALL, 1 },  { WT_EV_SIG_DELIVER, 0 },
	{ WT_EV_SIG_GENERATE, 0 }, { WT_EV_DO_EXIT, 0 },
	{ WT_EV_WAIT_TARGET, 0 }, { WT_EV_SUBREAPER, 0 },
	{ WT_EV_PIDNS, 0 },      { WT_EV_PIDNS_FAIL, 0 },
	{ WT_EV_PIDNS, 1 },      { WT_EV_PIDNS_FAIL, 1 },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* ---- text output ------------------------------------------------------- */

static void i64_or_dash(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%" PRId64, v);
}

static void print_chunks_text(const struct chunk_stats *cs)
{
	printf("chunks:\n  %-12s %8s %14s %14s\n", "type", "count",
	       "compressed", "raw");
	for (unsigned t = 1; t < NTYPES; t++) {
		if (!cs->count[t])
			continue;
		printf("  %-12s %8" PRIu64 " %14" PRIu64 " %14" PRIu64 "\n",
		       t <= WT_CHUNK_TYPE_MAX ? wt_chunk_type_name(t) : "unknown",
		       cs->count[t], cs->comp[t], cs->raw[t]);
	}
}

static void print_events_text(const struct info_ctx *ic,
			      const struct wt_decode_result *res)
{
	uint64_t total = 0;

	printf("events%s:\n", ic->o->npids ? " (of the given pids)" : "");
	for (size_t i = 0; i < NROWS; i++) {
		uint64_t n = ic->ev[rows[i].type][rows[i].var];

		printf("  %-22s %12" PRIu64 "\n",
		       ev_name(rows[i].type, rows[i].var, kprobe_file(ic)), n);
		total += n;
	}
	printf("  %-22s %12" PRIu64 "%s\n", "unknown", res->unknown_events,
	       ic->o->npids ? "  (all pids)" : "");
	printf("  %-22s %12" PRIu64 "\n", "total", total);
	if (res->events)
		printf("  time span: %" PRIu64 " .. %" PRIu64 " ns (%.6f s)\n",
		       res->first_ts, res->last_ts,
		       (double)(res->last_ts - res->first_ts) / 1e9);
	if (res->malformed_events)
		printf("  malformed records skipped: %" PRIu64 "\n",
		       res->malformed_events);
}

static void print_cpus_text(const struct info_ctx *ic)
{
	printf("cpus:\n  %4s %10s %10s %10s %10s %10s %10s\n", "cpu",
	       "entries", "overrun", "dropped", "read", "missed", "decoded");
	for (size_t i = 0; i < ic->nstats; i++) {
		const struct wt_cpu_stats *s = &ic->stats[i];
		char e[24], o[24], d[24], r[24];

		i64_or_dash(e, sizeof(e), s->entries);
		i64_or_dash(o, sizeof(o), s->overrun);
		i64_or_dash(d, sizeof(d), s->dropped);
		i64_or_dash(r, sizeof(r), s->read_events);
		printf("  %4d %10s %10s %10s %10s %10" PRIu64 " %10" PRIu64 "\n",
		       s->cpu, e, o, d, r, s->missed_in_pages,
		       ic->per_cpu[s->cpu]);
	}
}

/* The codecs the chunks use, "zstd" or "zlib" (or both, "zlib+zstd"; ""
 * for no chunk), into @buf. */
static const char *codecs(const struct chunk_stats *cs, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned id = 0; id <= WT_CODEC_MAX && n < len; id++)
		if (cs->codec[id])
			n += snprintf(buf + n, len - n, "%s%s", n ? "+" : "",
				      wt_codec_name(id));
	return buf;
}

static void print_text(const struct info_opts *o, const struct chunk_stats *cs,
		       const struct info_ctx *ic,
		       const struct wt_decode_result *res, const char *damage)
{
	char cbuf[64];

	printf("file:        %s (%" PRIu64 " bytes)\n", o->file, cs->size);
	printf("format:      version %u, %s-endian, word size %u%s%s\n",
	       cs->hdr.version, cs->hdr.byte_order_le ? "little" : "big",
	       cs->hdr.word_size, *codecs(cs, cbuf, sizeof(cbuf)) ? ", " : "",
	       cbuf);
	printf("metadata:\n");
	for (size_t i = 0; i < ic->meta.n; i++)
		printf("  %s=%s\n", ic->meta.pairs[i].key, ic->meta.pairs[i].value);
	print_chunks_text(cs);
	print_events_text(ic, res);
	print_cpus_text(ic);
	printf("lost events: %" PRIu64 "%s\n", res->lost_events,
	       ic->ev[WT_EV_LOST][0] ? " (the ring buffer dropped events)" : "");
	if (ic->ev[WT_EV_LOST][0])
		printf("loss markers: %" PRIu64 " sub-buffers\n",
		       ic->ev[WT_EV_LOST][0]);
	printf("trailer:     %s\n", res->complete ? "present"
					 : "MISSING (recording cut short)");
	if (res->bad_subbufs)
		printf("bad sub-buffers/chunks skipped: %" PRIu64 "\n",
		       res->bad_subbufs);
	printf("damage:      %s\n", damage[0] ? damage : "none");
}

/* ---- JSON output ------------------------------------------------------- */

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void json_pairs(const struct wt_meta *m)
{
	putchar('{');
	for (size_t i = 0; i < m->n; i++) {
		printf("%s", i ? "," : "");
		json_str(m->pairs[i].key);
		putchar(':');
		json_str(m->pairs[i].value);
	}
	putchar('}');
}

static void json_chunks(const struct chunk_stats *cs)
{
	bool first = true;

	printf(",\"chunks\":{");
	for (unsigned t = 1; t < NTYPES; t++) {
		if (!cs->count[t])
			continue;
		printf("%s\"%s\":{\"count\":%" PRIu64 ",\"compressed\":%" PRIu64
		       ",\"raw\":%" PRIu64 "}", first ? "" : ",",
		       t <= WT_CHUNK_TYPE_MAX ? wt_chunk_type_name(t) : "unknown",
		       cs->count[t], cs->comp[t], cs->raw[t]);
		first = false;
	}
	putchar('}');
}

static void json_events(const struct info_ctx *ic,
			const struct wt_decode_result *res)
{
	printf(",\"events\":{");
	for (size_t i = 0; i < NROWS; i++)
		printf("\"%s\":%" PRIu64 ",",
		       ev_name(rows[i].type, rows[i].var, kprobe_file(ic)),
		       ic->ev[rows[i].type][rows[i].var]);
	printf("\"unknown\":%" PRIu64 "}", res->unknown_events);
	printf(",\"first_ts\":%" PRIu64 ",\"last_ts\":%" PRIu64
	       ",\"malformed_events\":%" PRIu64, res->first_ts, res->last_ts,
	       res->malformed_events);
}

static void json_cpus(const struct info_ctx *ic)
{
	printf(",\"cpus\":[");
	for (size_t i = 0; i < ic->nstats; i++) {
		const struct wt_cpu_stats *s = &ic->stats[i];

		printf("%s{\"cpu\":%d,\"entries\":%" PRId64 ",\"overrun\":%" PRId64
		       ",\"commit_overrun\":%" PRId64 ",\"dropped\":%" PRId64
		       ",\"read_events\":%" PRId64 ",\"missed_in_pages\":%" PRIu64
		       ",\"decoded\":%" PRIu64 "}", i ? "," : "", s->cpu,
		       s->entries, s->overrun, s->commit_overrun, s->dropped,
		       s->read_events, s->missed_in_pages, ic->per_cpu[s->cpu]);
	}
	putchar(']');
}

static void print_json(const struct info_opts *o, const struct chunk_stats *cs,
		       const struct info_ctx *ic,
		       const struct wt_decode_result *res, const char *damage)
{
	char cbuf[64];

	printf("{\"file\":");
	json_str(o->file);
	printf(",\"size\":%" PRIu64 ",\"version\":%u,\"byte_order\":\"%s\","
	       "\"word_size\":%u,\"codecs\":\"%s\",\"meta\":", cs->size,
	       cs->hdr.version, cs->hdr.byte_order_le ? "little" : "big",
	       cs->hdr.word_size, codecs(cs, cbuf, sizeof(cbuf)));
	json_pairs(&ic->meta);
	json_chunks(cs);
	json_events(ic, res);
	json_cpus(ic);
	printf(",\"lost_events\":%" PRIu64 ",\"lost_markers\":%" PRIu64
	       ",\"bad_subbufs\":%" PRIu64 ",\"trailer\":%s,\"trailer_keys\":",
	       res->lost_events, ic->ev[WT_EV_LOST][0], res->bad_subbufs,
	       res->complete ? "true" : "false");
	json_pairs(&cs->trailer);
	printf(",\"damage\":");
	if (damage[0])
		json_str(damage);
	else
		printf("null");
	printf("}\n");
}

/* ---- main ---------------------------------------------------------------- */

int wt_info_main(int argc, char **argv)
{
	struct wt_sink sink = { .meta = on_meta, .event = on_event,
				.stats = on_stats };
	struct chunk_stats cs;
	struct info_ctx ic;
	struct wt_decode_result res;
	struct info_opts o;
	char err[512] = "";
	const char *damage;
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	memset(&cs, 0, sizeof(cs));
	memset(&ic, 0, sizeof(ic));
	ic.o = &o;
	sink.ctx = &ic;
	rc = 2;
	ic.per_cpu = calloc(WT_MAX_CPUS, sizeof(*ic.per_cpu));
	if (!ic.per_cpu) {
		fprintf(stderr, "wtrec info: out of memory\n");
		goto out;
	}
	if (scan_chunks(o.file, &cs) < 0) {
		fprintf(stderr, "wtrec info: %s\n", cs.damage);
		goto out;
	}
	if (wt_decode_file(o.file, &sink, &res, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "wtrec info: %s\n", err);
		goto out;
	}
	/* the decoder's message covers bad sub-buffers too; the scan's is the
	 * reader's own when the decoder saw none */
	damage = res.damaged ? res.damage : cs.damage;
	if (o.json)
		print_json(&o, &cs, &ic, &res, damage);
	else
		print_text(&o, &cs, &ic, &res, damage);
	/* a full disk or a closed pipe: what was asked for was not shown */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "wtrec info: write error on output\n");
		goto out;
	}
	rc = damage[0] || !res.complete ? 1 : 0;
out:
	wt_meta_free(&ic.meta);
	wt_meta_free(&cs.trailer);
	free(ic.stats);
	free(ic.per_cpu);
	return rc;
}
