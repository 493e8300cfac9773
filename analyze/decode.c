/*
 * decode.c - a recording -> metadata, snapshots, time-ordered normalized
 * events and per-CPU stats, delivered to a wt_sink (see decode.h).
 *
 * A recording is one .wtrec file, or a --rotate series of them decoded as
 * one (the files' per-CPU streams continue each other).  Two passes, so
 * memory does not grow with the recording:
 *   pass 1 (wt_decoder_read, wt_reader_next_lazy): keep the small chunks -
 *     META into a key store, HEADER_PAGE and FORMAT into libtraceevent,
 *     PROC text, CPU_STATS parsed - and index CPU_DATA chunks by file and
 *     offset per CPU without keeping them (or inflating more of them than
 *     their CPU number: a chunk whose data turns out bad is skipped in
 *     pass 2).  Damage stops pass 1 of that file; whatever was indexed
 *     before it is still decoded.
 *   pass 2 (decode_merge.c): per-CPU cursors re-read their chunks with
 *     wt_reader_read_at and are merged by timestamp; each record is mapped
 *     to a wt_event by decode_events.c.
 * Delivery order: meta pairs, start snapshot, events, stop snapshot, stats.
 *
 * Offline (wt_decode_file, wt_decode_series) pass 1 reads everything
 * before pass 2 begins.  A follower (`analyze --follow`: follow.c) runs
 * them interleaved on a file that grows: after each WATERMARK chunk it
 * delivers the events up to the time the recorder promised complete, so
 * the stream it delivers is the offline one, in the same order.  Meta
 * pairs are delivered with the start snapshot (those the model needs
 * before events), and all of them again at the end (the stop META's come
 * last; the model and the meta table take the last value of a key).
 *
 * A series: the first file's start META, header_page, formats and start
 * snapshot describe the recording; later files repeat them (each file is
 * analyzable alone) and are skipped here, except META keys the first
 * file's start META does not have (the stop keys: the last value wins).
 * The stop snapshot and CPU stats are the last file's (the kernel's
 * counters are cumulative).
 *
 * Only formats stored in the file are used, never the running kernel's.
 * Damage that does not stop decoding (bad sub-buffers, malformed records)
 * is counted in the result and marks it damaged with the first message.
 *
 * Progress: @progress gets (sink->ctx, done, total bytes) about every MB;
 * done weighs both passes equally (pass 1 covers the first half).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <traceevent/event-parse.h>
#include "wtfile.h"
#include "decode.h"
#include "decode_events.h"
#include "decode_merge.h"
#include "meta.h"
#include "proc_parse.h"
#include "kstats.h"
#include "cgroup_parse.h"

#define PROGRESS_STEP (1u << 20)
#define STR_MAX 4096 /* longest string field delivered (exec filename) */

struct proc_snap {
	char *text;
	size_t len;
	bool at_start;
};

struct wt_decoder {
	char *name;               /* recording name for messages */
	struct wt_reader **rd;    /* its files, in order; NULL once closed */
	size_t nrd, crd;
	struct wt_file_header hdr; /* the first file's */
	const struct wt_sink *sink;
	struct wt_decode_result *res;
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	uint64_t next_progress, total_bytes, done_bytes;
	int sink_rc;              /* first non-zero sink return */
	struct tep_handle *tep;
	struct wt_meta meta;
	size_t start_keys;        /* keys of the first file's first META */
	bool first_meta_seen;
	struct wt_meta trailer;   /* the current file's TRAILER */
	struct proc_snap *procs;
	size_t nprocs;
	struct proc_snap *cgroups; /* CGROUP chunks, kept like snapshots */
	size_t ncgroups;
	int16_t slot_of[WT_MAX_CPUS]; /* cpu -> index into ix/stats, -1 */
	struct wt_cpu_index *ix;
	struct wt_cpu_stats *stats;
	bool *have_stats;
	size_t ncpu;
	uint64_t raw_cpu_bytes;
	bool page_layout_bad;     /* header_page disagrees with what we read */
	unsigned bad_meta_lines;  /* META lines without key=value: skipped */
	/* pass 2 */
	struct wt_evtab tab;
	struct wt_merge m;
	bool pass2, begun, ended;
	bool meta_late;           /* a META chunk came after begin */
	int last_read;            /* what wt_decoder_read returned last */
	uint64_t until;           /* events up to here were delivered */
	/* the last WATERMARK read */
	uint64_t mark_ns, mark_lost;
	bool mark_seen;
	char str[STR_MAX];
};

/* Record damage that does not stop decoding; the first message wins. */
static void damage(struct wt_decoder *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void damage(struct wt_decoder *d, const char *fmt, ...)
{
	size_t n = strlen(d->name);
	char msg[sizeof(d->res->damage)];
	va_list ap;

	if (d->res->damaged)
		return;
	d->res->damaged = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* messages passed on from the reader already name the file */
	if (!strncmp(msg, d->name, n) && msg[n] == ':')
		n = 0;
	if (snprintf(d->res->damage, sizeof(d->res->damage), "%s%s%s",
		     n ? d->name : "", n ? ": " : "", msg) < 0)
		d->res->damage[0] = '\0';
}

static void progress(struct wt_decoder *d, uint64_t done, bool last)
{
	if (!d->progress || (done < d->next_progress && !last))
		return;
	d->next_progress = done + PROGRESS_STEP;
	d->progress(d->sink->ctx, done, d->total_bytes);
}

static struct wt_reader *cur_reader(const struct wt_decoder *d)
{
	return d->nrd ? d->rd[d->nrd - 1] : NULL;
}

/* Is the chunk being read from a later file of a series? */
static bool later_file(const struct wt_decoder *d)
{
	return d->nrd > 1;
}

/* ---- pass 1 ------------------------------------------------------------- */

/* The kernel counters of @s from @k; all unknown (-1) for NULL. */
static void set_stats(struct wt_cpu_stats *s, const struct wt_kstats *k)
{
	struct wt_kstats none;

	if (!k) {
		wt_kstats_clear(&none);
		k = &none;
	}
	s->entries = k->entries;
	s->overrun = k->overrun;
	s->commit_overrun = k->commit_overrun;
	s->dropped = k->dropped;
	s->read_events = k->read_events;
}

/* The slot of @cpu, created on first use; -1 on ENOMEM. */
static int cpu_slot(struct wt_decoder *d, int cpu)
{
	size_t n = d->ncpu + 1;
	void *a, *b, *c;

	if (d->slot_of[cpu] >= 0)
		return d->slot_of[cpu];
	a = realloc(d->ix, n * sizeof(*d->ix));
	if (a)
		d->ix = a;
	b = realloc(d->stats, n * sizeof(*d->stats));
	if (b)
		d->stats = b;
	c = realloc(d->have_stats, n * sizeof(*d->have_stats));
	if (c)
		d->have_stats = c;
	if (!a || !b || !c)
		return -1;
	memset(&d->ix[d->ncpu], 0, sizeof(d->ix[0]));
	d->ix[d->ncpu].cpu = cpu;
	memset(&d->stats[d->ncpu], 0, sizeof(d->stats[0]));
	d->stats[d->ncpu].cpu = cpu;
	set_stats(&d->stats[d->ncpu], NULL);
	d->have_stats[d->ncpu] = false;
	d->slot_of[cpu] = (int16_t)d->ncpu;
	return (int)d->ncpu++;
}

/* u32 cpu at the start of a CPU_DATA / CPU_STATS payload; -1 if bad. */
static int chunk_cpu(struct wt_decoder *d, const struct wt_chunk *c,
		     size_t min)
{
	uint32_t cpu;

	if (c->len < min) {
		damage(d, "offset %" PRIu64 ": %s chunk of %zu bytes: skipped",
		       c->offset, wt_chunk_type_name(c->type), c->len);
		return -1;
	}
	cpu = wt_get_le32(c->data);
	if (cpu >= WT_MAX_CPUS) {
		damage(d, "offset %" PRIu64 ": %s chunk for cpu %u: skipped",
		       c->offset, wt_chunk_type_name(c->type), cpu);
		return -1;
	}
	return (int)cpu;
}

static int on_cpu_data(struct wt_decoder *d, const struct wt_chunk *c)
{
	int cpu = chunk_cpu(d, c, 8), slot;

	if (cpu < 0)
		return 0;
	slot = cpu_slot(d, cpu);
	if (slot < 0 ||
	    wt_cpu_index_add(&d->ix[slot], WT_REF(d->nrd - 1, c->offset)) < 0)
		return -1;
	d->raw_cpu_bytes += c->len;
	return 0;
}

/* A later file's stats replace an earlier one's: the counters are
 * cumulative since the series began. */
static int on_cpu_stats(struct wt_decoder *d, const struct wt_chunk *c)
{
	int cpu = chunk_cpu(d, c, 4), slot;
	struct wt_kstats k;

	if (cpu < 0)
		return 0;
	slot = cpu_slot(d, cpu);
	if (slot < 0)
		return -1;
	wt_kstats_parse((const char *)c->data + 4, c->len - 4, &k);
	set_stats(&d->stats[slot], &k);
	d->have_stats[slot] = true;
	return 0;
}

/*
 * The sub-buffer layout the merge reads (with kbuffer): a u64 timestamp at
 * 0, the commit word (a long) at 8, data after it, at most 1 MiB of it.  A
 * header_page that describes another layout (absurd offsets or sizes, or a
 * kernel that changed it) would have its pages misread: true only when the
 * canonical @text agrees.
 */
static bool page_layout_ok(const char *text, unsigned word)
{
	static const char *const names[] = { " timestamp;", " commit;", " data;" };
	const unsigned want_off[] = { 0, 8, 8 + word }, want_size[] = { 8, word, 0 };

	for (int i = 0; i < 3; i++) {
		const char *p = strstr(text, names[i]);
		unsigned off, size;

		if (!p || sscanf(p + strlen(names[i]), "\toffset:%u;\tsize:%u;",
				 &off, &size) != 2 || off != want_off[i] ||
		    (want_size[i] && size != want_size[i]) ||
		    (!want_size[i] && size > (1u << 20)))
			return false;
	}
	return true;
}

/* libtraceevent's header_page parser trusts its text like the format
 * parser does: it only sees the canonical form. */
static int on_header_page(struct wt_decoder *d, const struct wt_chunk *c)
{
	size_t len;
	char *text = wt_header_page_canonical((const char *)c->data, c->len,
					      &len);

	if (!text && errno == ENOMEM)
		return -1;
	if (!text || tep_parse_header_page(d->tep, text, len,
					   d->hdr.word_size)) {
		d->page_layout_bad = true;
		damage(d, "offset %" PRIu64 ": header_page not understood: "
		       "events not decoded", c->offset);
	} else if (!page_layout_ok(text, d->hdr.word_size)) {
		d->page_layout_bad = true;
		damage(d, "offset %" PRIu64 ": header_page describes a sub-buffer "
		       "layout this wtrec does not read: events not decoded",
		       c->offset);
	}
	free(text);
	return 0;
}

/* "system\n" + the format text of one event. */
static int on_format(struct wt_decoder *d, const struct wt_chunk *c)
{
	const char *text = (const char *)c->data;
	const char *nl = memchr(text, '\n', c->len);
	size_t syslen = nl ? (size_t)(nl - text) : 0, len;
	char sys[128], why[96], *fmt;

	if (!nl || !syslen || syslen >= sizeof(sys) || memchr(text, 0, syslen)) {
		damage(d, "offset %" PRIu64 ": format chunk without a system "
		       "line: skipped", c->offset);
		return 0;
	}
	memcpy(sys, text, syslen);
	sys[syslen] = '\0';
	/* libtraceevent only ever sees the canonical form: it trusts text */
	fmt = wt_format_canonical(nl + 1, c->len - syslen - 1, &len, why,
				  sizeof(why));
	if (!fmt) {
		if (!strcmp(why, "out of memory"))
			return -1;
		damage(d, "offset %" PRIu64 ": format of a %s event refused: %s",
		       c->offset, sys, why);
		return 0;
	}
	if (tep_parse_event(d->tep, fmt, len, sys))
		damage(d, "offset %" PRIu64 ": format of a %s event not "
		       "understood", c->offset, sys);
	free(fmt);
	return 0;
}

/* The stop snapshots of @v (n entries) dropped. */
static void drop_stops(struct proc_snap *v, size_t *n)
{
	size_t keep = 0;

	for (size_t i = 0; i < *n; i++) {
		if (v[i].at_start)
			v[keep++] = v[i];
		else
			free(v[i].text);
	}
	*n = keep;
}

/* A series' later files: their start snapshots (and start cgroup limits)
 * are skipped, and a stop one replaces those of earlier files. */
static void drop_stop_snaps(struct wt_decoder *d)
{
	drop_stops(d->procs, &d->nprocs);
	drop_stops(d->cgroups, &d->ncgroups);
}

/* Keep a copy of chunk @c's text in @v (*n entries): -1 on ENOMEM. */
static int keep_text(struct proc_snap **v, size_t *n,
		     const struct wt_chunk *c, bool at_start)
{
	struct proc_snap *p = realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return -1;
	*v = p;
	p = &p[*n];
	p->text = malloc(c->len ? c->len : 1);
	if (!p->text)
		return -1;
	memcpy(p->text, c->data, c->len);
	p->len = c->len;
	p->at_start = at_start;
	(*n)++;
	return 0;
}

static int on_proc(struct wt_decoder *d, const struct wt_chunk *c)
{
	struct wt_proc_header h;
	bool at_start;

	if (wt_proc_header_parse((const char *)c->data, c->len, &h) < 0) {
		damage(d, "offset %" PRIu64 ": proc chunk without its header "
		       "line: skipped", c->offset);
		return 0;
	}
	/* without a when= line: the first snapshot is the start one */
	at_start = h.when_known ? h.at_start : d->nprocs == 0;
	if (at_start && (later_file(d) || d->begun))
		return 0; /* the series' start is the first file's */
	return keep_text(&d->procs, &d->nprocs, c, at_start);
}

/* A CGROUP chunk (the pids limits at start or stop): kept for delivery
 * next to the snapshot of the same moment, by the snapshots' rules. */
static int on_cgroup(struct wt_decoder *d, const struct wt_chunk *c)
{
	bool at_start, known;

	if (wt_cgroup_header_parse((const char *)c->data, c->len, &at_start,
				   &known) < 0) {
		damage(d, "offset %" PRIu64 ": cgroup chunk without its header "
		       "line: skipped", c->offset);
		return 0;
	}
	at_start = known ? at_start : d->ncgroups == 0;
	if (at_start && (later_file(d) || d->begun))
		return 0;
	return keep_text(&d->cgroups, &d->ncgroups, c, at_start);
}

/* META: every key of the first file; of later files only keys the first
 * file's start META did not set (stop keys; the last value wins). */
static int on_meta(struct wt_decoder *d, const struct wt_chunk *c)
{
	struct wt_meta tmp = { 0 };
	int rc = 0;

	d->meta_late |= d->begun;
	if (!later_file(d)) {
		rc = wt_meta_parse(&d->meta, (const char *)c->data, c->len,
				   &d->bad_meta_lines);
		if (!d->first_meta_seen) {
			d->first_meta_seen = true;
			d->start_keys = d->meta.n;
		}
		return rc;
	}
	if (wt_meta_parse(&tmp, (const char *)c->data, c->len,
			  &d->bad_meta_lines) < 0)
		rc = -1;
	for (size_t i = 0; !rc && i < tmp.n; i++) {
		bool start = false;

		for (size_t k = 0; k < d->start_keys && !start; k++)
			start = !strcmp(d->meta.pairs[k].key, tmp.pairs[i].key);
		if (!start)
			rc = wt_meta_set(&d->meta, tmp.pairs[i].key,
					 tmp.pairs[i].value);
	}
	wt_meta_free(&tmp);
	return rc;
}

static void on_watermark(struct wt_decoder *d, const struct wt_chunk *c)
{
	if (c->len < WT_WATERMARK_LEN)
		return; /* not one this wtrec understands: ignored */
	d->mark_ns = wt_get_le64(c->data);
	d->mark_lost = wt_get_le64(c->data + 8);
	d->mark_seen = true;
}

static int on_chunk(struct wt_decoder *d, const struct wt_chunk *c)
{
	switch (c->type) {
	case WT_CHUNK_META:
		return on_meta(d, c);
	case WT_CHUNK_HEADER_PAGE:
		return later_file(d) ? 0 : on_header_page(d, c);
	case WT_CHUNK_FORMAT:
		return later_file(d) ? 0 : on_format(d, c);
	case WT_CHUNK_PROC:
		return on_proc(d, c);
	case WT_CHUNK_CPU_DATA:
		return on_cpu_data(d, c);
	case WT_CHUNK_CPU_STATS:
		return on_cpu_stats(d, c);
	case WT_CHUNK_TRAILER:
		return wt_meta_parse(&d->trailer, (const char *)c->data, c->len,
				     NULL);
	case WT_CHUNK_WATERMARK:
		on_watermark(d, c);
		return 0;
	case WT_CHUNK_CGROUP:
		return on_cgroup(d, c);
	}
	return 0; /* HEADER_EVENT (fixed layout), unknown types */
}

static int read_chunks(struct wt_decoder *d)
{
	struct wt_reader *r = cur_reader(d);
	struct wt_chunk c;
	int rc;

	while ((rc = wt_reader_next_lazy(r, &c, WT_CHUNK_CPU_DATA, 8)) == 1) {
		if (on_chunk(d, &c) < 0) {
			errno = ENOMEM;
			return WT_READ_ERROR;
		}
		progress(d, (d->done_bytes + wt_reader_offset(r)) / 2, false);
		if (c.type == WT_CHUNK_WATERMARK && d->mark_seen)
			return WT_READ_MARK;
		if (c.type == WT_CHUNK_TRAILER)
			return WT_READ_TRAILER;
	}
	if (rc < 0 && wt_reader_out_of_memory(r)) {
		errno = ENOMEM;
		return WT_READ_ERROR;
	}
	if (rc < 0 && !wt_reader_cut(r))
		return WT_READ_DAMAGE;
	return WT_READ_WAIT;
}

int wt_decoder_read(struct wt_decoder *d)
{
	return d->last_read = read_chunks(d);
}

void wt_decoder_file_end(struct wt_decoder *d)
{
	struct wt_reader *r = cur_reader(d);

	if (!r)
		return;
	d->res->complete = wt_reader_saw_trailer(r);
	if (d->last_read == WT_READ_DAMAGE ||
	    (d->last_read == WT_READ_WAIT && wt_reader_cut(r))) {
		/* the reader's message wins over any earlier soft damage */
		d->res->damaged = true;
		snprintf(d->res->damage, sizeof(d->res->damage), "%s",
			 wt_reader_error(r));
	}
}

const char *wt_decoder_trailer(const struct wt_decoder *d, const char *key)
{
	return wt_meta_get(&d->trailer, key);
}

bool wt_decoder_watermark(const struct wt_decoder *d, uint64_t *complete_ns,
			  uint64_t *lost)
{
	if (d->mark_seen) {
		*complete_ns = d->mark_ns;
		*lost = d->mark_lost;
	}
	return d->mark_seen;
}

/* ---- delivery ----------------------------------------------------------- */

static int deliver_meta(struct wt_decoder *d)
{
	for (size_t i = 0; d->sink->meta && i < d->meta.n; i++) {
		d->sink_rc = d->sink->meta(d->sink->ctx, d->meta.pairs[i].key,
					   d->meta.pairs[i].value);
		if (d->sink_rc)
			return -1;
	}
	return 0;
}

static int proc_cb(void *ctx, const struct wt_proc_entry *p)
{
	struct wt_decoder *d = ctx;

	if (!d->sink->proc)
		return 0; /* parsed all the same: bad lines are damage */
	d->sink_rc = d->sink->proc(d->sink->ctx, p);
	return d->sink_rc ? -1 : 0;
}

static int deliver_procs(struct wt_decoder *d, bool at_start)
{
	unsigned bad = 0;

	for (size_t i = 0; i < d->nprocs; i++) {
		const struct proc_snap *p = &d->procs[i];

		if (p->at_start != at_start)
			continue;
		wt_proc_parse(p->text, p->len, at_start, proc_cb, d, &bad);
		if (d->sink_rc)
			return -1;
	}
	if (bad)
		damage(d, "%u malformed line(s) of the %s snapshot skipped",
		       bad, at_start ? "start" : "stop");
	return 0;
}

static int cgroup_cb(void *ctx, const struct wt_cgroup_entry *e)
{
	struct wt_decoder *d = ctx;

	if (!d->sink->cgroup)
		return 0;
	d->sink_rc = d->sink->cgroup(d->sink->ctx, e);
	return d->sink_rc ? -1 : 0;
}

/* The start (or stop) CGROUP chunks, after the snapshot of that moment. */
static int deliver_cgroups(struct wt_decoder *d, bool at_start)
{
	unsigned bad = 0;

	for (size_t i = 0; i < d->ncgroups; i++) {
		const struct proc_snap *p = &d->cgroups[i];

		if (p->at_start != at_start)
			continue;
		wt_cgroup_parse(p->text, p->len, at_start, cgroup_cb, d, &bad);
		if (d->sink_rc)
			return -1;
	}
	if (bad)
		damage(d, "%u malformed line(s) of the %s cgroup limits "
		       "skipped", bad, at_start ? "start" : "stop");
	return 0;
}

static int deliver_event(struct wt_decoder *d, struct wt_event *ev)
{
	struct wt_decode_result *res = d->res;

	res->counts[ev->type]++;
	if (ev->type != WT_EV_LOST) {
		if (!res->events++)
			res->first_ts = ev->ts;
		res->last_ts = ev->ts;
	}
	if (!d->sink->event)
		return 0;
	d->sink_rc = d->sink->event(d->sink->ctx, ev);
	return d->sink_rc ? -1 : 0;
}

static int one_item(struct wt_decoder *d, const struct wt_merge_item *it)
{
	struct wt_event ev;
	int rc;

	memset(&ev, 0, sizeof(ev));
	ev.ts = it->ts;
	ev.cpu = it->cpu;
	if (it->kind == WT_ITEM_LOST) {
		ev.type = WT_EV_LOST;
		ev.tid = -1;
		ev.lost.count = it->lost > 0 ? (uint64_t)it->lost : 0;
		return deliver_event(d, &ev);
	}
	rc = wt_evtab_decode(&d->tab, it->rec, it->size, &ev, d->str,
			     sizeof(d->str));
	if (rc > 0)
		return deliver_event(d, &ev);
	if (rc == 0) {
		d->res->unknown_events++;
	} else {
		d->res->malformed_events++;
		damage(d, "cpu %d ts %" PRIu64 ": record of %u bytes too short "
		       "for its format: skipped", it->cpu, it->ts, it->size);
	}
	return 0;
}

/* Set up pass 2 once every format is in (errors: message in @err). */
static int start_pass2(struct wt_decoder *d, char *err, size_t errlen)
{
	if (wt_evtab_build(&d->tab, d->tep, d->hdr.byte_order_le, &d->meta) < 0 ||
	    wt_merge_init(&d->m, d->rd, d->nrd, d->hdr.byte_order_le,
			  d->hdr.word_size, d->ix, d->ncpu) < 0) {
		if (errno == ENOMEM)
			snprintf(err, errlen, "%s: out of memory in pass 2",
				 d->name);
		else
			snprintf(err, errlen, "%s: cannot start decoding: %s",
				 d->name, strerror(errno));
		return -1;
	}
	d->pass2 = true;
	if (d->tab.unusable)
		damage(d, "the format of %s has no field %s: its records are "
		       "not decoded (%u modeled event(s) unusable)",
		       d->tab.unusable_event, d->tab.unusable_field,
		       d->tab.unusable);
	return 0;
}

/* Pass 2 up to @until.  0, or -1 (ENOMEM or sink abort; message in err). */
static int deliver_events(struct wt_decoder *d, uint64_t until, char *err,
			  size_t errlen)
{
	uint64_t half = d->total_bytes / 2, total = d->raw_cpu_bytes;
	struct wt_merge_item it;
	int rc;

	if (d->page_layout_bad)
		return 0;
	if (!d->pass2 && start_pass2(d, err, errlen) < 0)
		return -1;
	if (wt_merge_sync(&d->m, d->rd, d->nrd, d->ix, d->ncpu) < 0) {
		snprintf(err, errlen, "%s: out of memory in pass 2", d->name);
		return -1;
	}
	while ((rc = wt_merge_next_until(&d->m, until, &it)) == 1) {
		/* an event the recorder had promised complete already */
		d->res->late_events += it.ts < d->until;
		if (one_item(d, &it) < 0)
			break;
		if (d->progress && total)
			progress(d, half + (uint64_t)((double)d->m.bytes_loaded /
						      total * half), false);
	}
	if (until > d->until)
		d->until = until;
	if (rc < 0)
		snprintf(err, errlen, "%s: out of memory in pass 2", d->name);
	else
		rc = d->sink_rc ? -1 : 0;
	d->res->bad_subbufs = d->m.bad_chunks + d->m.bad_subbufs;
	if (d->m.damage[0])
		damage(d, "%s", d->m.damage);
	return rc;
}

/* What the kernel lost on one CPU, counted as the recorder counts it
 * (common/kstats.h). */
static uint64_t stats_lost(const struct wt_cpu_stats *s)
{
	struct wt_kstats k;

	wt_kstats_clear(&k);
	k.overrun = s->overrun;
	k.commit_overrun = s->commit_overrun;
	k.dropped = s->dropped;
	return wt_kstats_lost(&k);
}

/* Stats of every CPU that had data or stats, by CPU number; counters the
 * file lacks stay -1.  Also computes result->lost_events. */
static int deliver_stats(struct wt_decoder *d)
{
	uint64_t kernel = 0, pages = 0;
	bool any_stats = false;

	for (int cpu = 0; cpu < WT_MAX_CPUS; cpu++) {
		int slot = d->slot_of[cpu];
		struct wt_cpu_stats *s;

		if (slot < 0)
			continue;
		s = &d->stats[slot];
		s->missed_in_pages = wt_merge_missed(&d->m, cpu);
		pages += s->missed_in_pages;
		if (d->have_stats[slot]) {
			any_stats = true;
			kernel += stats_lost(s);
		}
		if (d->sink->stats && (d->sink_rc = d->sink->stats(d->sink->ctx, s)))
			return -1;
	}
	d->res->lost_events = any_stats ? kernel : pages;
	return 0;
}

/* The consumer stopped decoding: say so unless the message is set. */
static int stopped(struct wt_decoder *d, char *err, size_t errlen)
{
	if (d->sink_rc)
		snprintf(err, errlen, "%s: decoding stopped by the consumer",
			 d->name);
	return -1;
}

int wt_decoder_begin(struct wt_decoder *d, char *err, size_t errlen)
{
	if (d->begun)
		return 0;
	d->begun = true;
	if (d->bad_meta_lines)
		damage(d, "%u malformed META line(s) skipped",
		       d->bad_meta_lines);
	if (deliver_meta(d) || deliver_procs(d, true) ||
	    deliver_cgroups(d, true))
		return stopped(d, err, errlen);
	return 0;
}

int wt_decoder_events(struct wt_decoder *d, uint64_t until, char *err,
		      size_t errlen)
{
	if (wt_decoder_begin(d, err, errlen) < 0)
		return -1;
	if (deliver_events(d, until, err, errlen) < 0)
		return d->sink_rc ? stopped(d, err, errlen) : -1;
	/* files every cursor is past are closed: a followed series may run
	 * for days and the recorder deletes its oldest files */
	for (size_t f = 0, o = wt_merge_oldest_file(&d->m, d->nrd - 1);
	     d->pass2 && f < o; f++) {
		wt_reader_close(d->rd[f]);
		d->rd[f] = NULL;
	}
	return 0;
}

int wt_decoder_end(struct wt_decoder *d, char *err, size_t errlen)
{
	if (d->ended)
		return 0;
	d->ended = true;
	if (wt_decoder_events(d, UINT64_MAX, err, errlen) < 0)
		return -1;
	/* a follower began before the stop META: every pair again (the
	 * model and the meta table keep a key's last value) */
	if ((d->meta_late && deliver_meta(d)) || deliver_procs(d, false) ||
	    deliver_cgroups(d, false) || deliver_stats(d))
		return stopped(d, err, errlen);
	progress(d, d->total_bytes, true);
	return 0;
}

/* ---- lifecycle ---------------------------------------------------------- */

struct wt_decoder *wt_decoder_new(const char *name, const struct wt_sink *sink,
				  struct wt_decode_result *result)
{
	static const struct wt_sink none;
	struct wt_decoder *d = calloc(1, sizeof(*d));

	memset(result, 0, sizeof(*result));
	if (!d || !(d->name = strdup(name)) || !(d->tep = tep_alloc())) {
		wt_decoder_free(d);
		errno = ENOMEM;
		return NULL;
	}
	d->sink = sink ? sink : &none;
	d->res = result;
	d->m.last = -1;
	memset(d->slot_of, -1, sizeof(d->slot_of));
	return d;
}

void wt_decoder_set_progress(struct wt_decoder *d,
			     void (*prog)(void *, uint64_t, uint64_t),
			     uint64_t total_bytes)
{
	d->progress = prog;
	d->total_bytes = total_bytes;
}

int wt_decoder_add_file(struct wt_decoder *d, struct wt_reader *r,
			const char *path, char *err, size_t errlen)
{
	const struct wt_file_header *h = wt_reader_header(r);
	struct wt_reader **rd;

	if (d->nrd && (h->byte_order_le != d->hdr.byte_order_le ||
		       h->word_size != d->hdr.word_size)) {
		snprintf(err, errlen, "%s: another byte order or word size than "
			 "the first file of %s", path, d->name);
		wt_reader_close(r);
		return -1;
	}
	if (d->nrd == WT_REF_MAX_FILES - 1) {
		snprintf(err, errlen, "%s: more than %u files in one recording",
			 path, WT_REF_MAX_FILES - 1);
		wt_reader_close(r);
		return -1;
	}
	if (d->nrd == d->crd) {
		size_t cap = d->crd ? d->crd * 2 : 4;

		rd = realloc(d->rd, cap * sizeof(*rd));
		if (!rd) {
			snprintf(err, errlen, "%s: out of memory", d->name);
			wt_reader_close(r);
			return -1;
		}
		d->rd = rd;
		d->crd = cap;
	}
	if (d->nrd) {
		d->done_bytes += wt_reader_size(cur_reader(d));
		drop_stop_snaps(d);
	} else {
		d->hdr = *h;
		tep_set_file_bigendian(d->tep, h->byte_order_le ?
				       TEP_LITTLE_ENDIAN : TEP_BIG_ENDIAN);
		tep_set_long_size(d->tep, h->word_size);
	}
	wt_meta_free(&d->trailer);
	d->rd[d->nrd++] = r;
	if (!d->total_bytes || d->total_bytes < d->done_bytes + wt_reader_size(r))
		d->total_bytes = d->done_bytes + wt_reader_size(r);
	return 0;
}

void wt_decoder_free(struct wt_decoder *d)
{
	if (!d)
		return;
	wt_merge_free(&d->m);
	wt_evtab_free(&d->tab);
	for (size_t i = 0; i < d->nprocs; i++)
		free(d->procs[i].text);
	free(d->procs);
	for (size_t i = 0; i < d->ncgroups; i++)
		free(d->cgroups[i].text);
	free(d->cgroups);
	for (size_t i = 0; i < d->ncpu; i++)
		wt_cpu_index_free(&d->ix[i]);
	free(d->ix);
	free(d->stats);
	free(d->have_stats);
	wt_meta_free(&d->meta);
	wt_meta_free(&d->trailer);
	if (d->tep)
		tep_free(d->tep);
	for (size_t i = 0; i < d->nrd; i++)
		wt_reader_close(d->rd[i]);
	free(d->rd);
	free(d->name);
	free(d);
}

/* ---- the offline entry points ------------------------------------------- */

/* Pass 1 over the decoder's current file, to its end. */
static int read_all(struct wt_decoder *d, char *err, size_t errlen)
{
	int st;

	while ((st = wt_decoder_read(d)) == WT_READ_MARK ||
	       st == WT_READ_TRAILER)
		;
	if (st == WT_READ_ERROR) {
		snprintf(err, errlen, "%s: out of memory in pass 1", d->name);
		return -1;
	}
	wt_decoder_file_end(d);
	return 0;
}

/* Decode @n readers (a file, or the files of a series, in order) into the
 * sink.  Takes the readers (NULL entries: their open failed, message in
 * @err).  See decode.h for the returns. */
static int decode(struct wt_reader **r, char *const *paths, size_t n,
		  const char *name, const struct wt_sink *sink,
		  struct wt_decode_result *result,
		  void (*prog)(void *, uint64_t, uint64_t), char *err,
		  size_t errlen)
{
	struct wt_decoder *d = NULL;
	uint64_t total = 0;
	size_t i = 0;
	int rc = -1;

	memset(result, 0, sizeof(*result));
	for (size_t k = 0; k < n; k++)
		total += r[k] ? wt_reader_size(r[k]) : 0;
	for (size_t k = 0; k < n; k++)
		if (!r[k])
			goto out;
	d = wt_decoder_new(name, sink, result);
	if (!d) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	wt_decoder_set_progress(d, prog, total);
	for (; i < n; i++) {
		struct wt_reader *ri = r[i];

		r[i] = NULL;
		if (wt_decoder_add_file(d, ri, paths[i], err, errlen) < 0 ||
		    read_all(d, err, errlen) < 0)
			goto out;
	}
	rc = wt_decoder_end(d, err, errlen);
out:
	for (size_t k = i; k < n; k++)
		wt_reader_close(r[k]);
	wt_decoder_free(d);
	return rc;
}

int wt_decode_series(char *const *paths, size_t n, const char *name,
		     const struct wt_sink *sink, struct wt_decode_result *result,
		     void (*progress)(void *ctx, uint64_t done, uint64_t total),
		     char *err, size_t errlen)
{
	struct wt_reader **r = calloc(n ? n : 1, sizeof(*r));
	int rc;

	if (!r) {
		memset(result, 0, sizeof(*result));
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (size_t k = 0; k < n; k++)
		if (!(r[k] = wt_reader_open(paths[k], err, errlen)))
			break;
	rc = decode(r, paths, n, name, sink, result, progress, err, errlen);
	free(r);
	return rc;
}

int wt_decode_file(const char *path, const struct wt_sink *sink,
		   struct wt_decode_result *result,
		   void (*progress)(void *ctx, uint64_t done, uint64_t total),
		   char *err, size_t errlen)
{
	char *paths[1] = { (char *)path };

	return wt_decode_series(paths, 1, path, sink, result, progress, err,
				errlen);
}

int wt_decode_mem(const void *buf, size_t len, const char *name,
		  const struct wt_sink *sink, struct wt_decode_result *result,
		  char *err, size_t errlen)
{
	struct wt_reader *r = wt_reader_open_mem(buf, len, name, err, errlen);
	char *paths[1] = { (char *)name };

	return decode(&r, paths, 1, name, sink, result, NULL, err, errlen);
}
