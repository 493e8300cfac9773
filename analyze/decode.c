/*
 * decode.c - one .wtrec file -> metadata, snapshots, time-ordered normalized
 * events and per-CPU stats, delivered to a wt_sink (see decode.h).
 *
 * Two passes over the file, so memory does not grow with it:
 *   pass 1 (wt_reader_next_lazy): keep the small chunks - META into a key
 *     store, HEADER_PAGE and FORMAT into libtraceevent, PROC text, CPU_STATS
 *     parsed - and index CPU_DATA chunks by offset per CPU without keeping
 *     them (or inflating more of them than their CPU number: a chunk whose
 *     data turns out bad is skipped in pass 2).
 *     Damage stops pass 1; whatever was indexed before it is still decoded.
 *   pass 2 (decode_merge.c): per-CPU cursors re-read their chunks with
 *     wt_reader_read_at and are merged by timestamp; each record is mapped
 *     to a wt_event by decode_events.c.
 * Delivery order: meta pairs, start snapshot, events, stop snapshot, stats.
 *
 * Only formats stored in the file are used, never the running kernel's.
 * Damage that does not stop decoding (bad sub-buffers, malformed records)
 * is counted in the result and marks it damaged with the first message.
 *
 * Progress: @progress gets (sink->ctx, done, file size) about every MB; done
 * weighs both passes equally (pass 1 covers the first half).
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

struct decoder {
	const char *name;         /* file name for messages */
	struct wt_reader *r;
	const struct wt_sink *sink;
	struct wt_decode_result *res;
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	uint64_t next_progress;
	int sink_rc;              /* first non-zero sink return */
	struct tep_handle *tep;
	struct wt_meta meta;
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
	char str[STR_MAX];
};

/* Record damage that does not stop decoding; the first message wins. */
static void damage(struct decoder *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void damage(struct decoder *d, const char *fmt, ...)
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

static void progress(struct decoder *d, uint64_t done, bool last)
{
	if (!d->progress || (done < d->next_progress && !last))
		return;
	d->next_progress = done + PROGRESS_STEP;
	d->progress(d->sink->ctx, done, wt_reader_size(d->r));
}

/* ---- pass 1 ------------------------------------------------------------- */

/* The slot of @cpu, created on first use; -1 on ENOMEM. */
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

static int cpu_slot(struct decoder *d, int cpu)
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
static int chunk_cpu(struct decoder *d, const struct wt_chunk *c, size_t min)
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

static int on_cpu_data(struct decoder *d, const struct wt_chunk *c)
{
	int cpu = chunk_cpu(d, c, 8), slot;

	if (cpu < 0)
		return 0;
	slot = cpu_slot(d, cpu);
	if (slot < 0 || wt_cpu_index_add(&d->ix[slot], c->offset) < 0)
		return -1;
	d->raw_cpu_bytes += c->len;
	return 0;
}

static int on_cpu_stats(struct decoder *d, const struct wt_chunk *c)
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
static int on_header_page(struct decoder *d, const struct wt_chunk *c)
{
	const struct wt_file_header *h = wt_reader_header(d->r);
	size_t len;
	char *text = wt_header_page_canonical((const char *)c->data, c->len,
					      &len);

	if (!text && errno == ENOMEM)
		return -1;
	if (!text || tep_parse_header_page(d->tep, text, len, h->word_size)) {
		d->page_layout_bad = true;
		damage(d, "offset %" PRIu64 ": header_page not understood: "
		       "events not decoded", c->offset);
	} else if (!page_layout_ok(text, h->word_size)) {
		d->page_layout_bad = true;
		damage(d, "offset %" PRIu64 ": header_page describes a sub-buffer "
		       "layout this wtrec does not read: events not decoded",
		       c->offset);
	}
	free(text);
	return 0;
}

/* "system\n" + the format text of one event. */
static int on_format(struct decoder *d, const struct wt_chunk *c)
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

static int on_proc(struct decoder *d, const struct wt_chunk *c)
{
	struct wt_proc_header h;
	struct proc_snap *p;

	if (wt_proc_header_parse((const char *)c->data, c->len, &h) < 0) {
		damage(d, "offset %" PRIu64 ": proc chunk without its header "
		       "line: skipped", c->offset);
		return 0;
	}
	p = realloc(d->procs, (d->nprocs + 1) * sizeof(*p));
	if (!p)
		return -1;
	d->procs = p;
	p = &d->procs[d->nprocs];
	p->text = malloc(c->len ? c->len : 1);
	if (!p->text)
		return -1;
	memcpy(p->text, c->data, c->len);
	p->len = c->len;
	/* without a when= line: the first snapshot is the start one */
	p->at_start = h.when_known ? h.at_start : d->nprocs == 0;
	d->nprocs++;
	return 0;
}

/* A CGROUP chunk (the pids limits at start or stop): kept for delivery
 * next to the snapshot of the same moment. */
static int on_cgroup(struct decoder *d, const struct wt_chunk *c)
{
	struct proc_snap *p;
	bool at_start, known;

	if (wt_cgroup_header_parse((const char *)c->data, c->len, &at_start,
				   &known) < 0) {
		damage(d, "offset %" PRIu64 ": cgroup chunk without its header "
		       "line: skipped", c->offset);
		return 0;
	}
	p = realloc(d->cgroups, (d->ncgroups + 1) * sizeof(*p));
	if (!p)
		return -1;
	d->cgroups = p;
	p = &d->cgroups[d->ncgroups];
	p->text = malloc(c->len ? c->len : 1);
	if (!p->text)
		return -1;
	memcpy(p->text, c->data, c->len);
	p->len = c->len;
	p->at_start = known ? at_start : d->ncgroups == 0;
	d->ncgroups++;
	return 0;
}

static int on_chunk(struct decoder *d, const struct wt_chunk *c)
{
	switch (c->type) {
	case WT_CHUNK_META:
		return wt_meta_parse(&d->meta, (const char *)c->data, c->len,
				     &d->bad_meta_lines);
	case WT_CHUNK_HEADER_PAGE:
		return on_header_page(d, c);
	case WT_CHUNK_FORMAT:
		return on_format(d, c);
	case WT_CHUNK_PROC:
		return on_proc(d, c);
	case WT_CHUNK_CPU_DATA:
		return on_cpu_data(d, c);
	case WT_CHUNK_CPU_STATS:
		return on_cpu_stats(d, c);
	case WT_CHUNK_CGROUP:
		return on_cgroup(d, c);
	}
	return 0; /* HEADER_EVENT (fixed layout), TRAILER, unknown types */
}

/* Returns 0 (possibly damaged) or -1 on ENOMEM. */
static int pass1(struct decoder *d, char *err, size_t errlen)
{
	struct wt_chunk c;
	int rc;

	while ((rc = wt_reader_next_lazy(d->r, &c, WT_CHUNK_CPU_DATA, 8)) == 1) {
		if (on_chunk(d, &c) < 0) {
			snprintf(err, errlen, "%s: out of memory in pass 1", d->name);
			return -1;
		}
		progress(d, wt_reader_offset(d->r) / 2, false);
	}
	d->res->complete = wt_reader_saw_trailer(d->r);
	if (d->bad_meta_lines)
		damage(d, "%u malformed META line(s) skipped",
		       d->bad_meta_lines);
	if (rc < 0 && wt_reader_out_of_memory(d->r)) {
		snprintf(err, errlen, "%s: out of memory in pass 1", d->name);
		return -1;
	}
	if (rc < 0) {
		/* the reader's message wins over any earlier soft damage */
		d->res->damaged = true;
		snprintf(d->res->damage, sizeof(d->res->damage), "%s",
			 wt_reader_error(d->r));
	}
	return 0;
}

/* ---- delivery ----------------------------------------------------------- */

static int deliver_meta(struct decoder *d)
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
	struct decoder *d = ctx;

	if (!d->sink->proc)
		return 0; /* parsed all the same: bad lines are damage */
	d->sink_rc = d->sink->proc(d->sink->ctx, p);
	return d->sink_rc ? -1 : 0;
}

static int deliver_procs(struct decoder *d, bool at_start)
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
	struct decoder *d = ctx;

	if (!d->sink->cgroup)
		return 0;
	d->sink_rc = d->sink->cgroup(d->sink->ctx, e);
	return d->sink_rc ? -1 : 0;
}

/* The start (or stop) CGROUP chunks, after the snapshot of that moment. */
static int deliver_cgroups(struct decoder *d, bool at_start)
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

static int deliver_event(struct decoder *d, struct wt_event *ev)
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

static int one_item(struct decoder *d, const struct wt_evtab *tab,
		    const struct wt_merge_item *it)
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
	rc = wt_evtab_decode(tab, it->rec, it->size, &ev, d->str, sizeof(d->str));
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

/* Pass 2.  Returns 0, or -1 (ENOMEM or sink abort; message in err). */
static int deliver_events(struct decoder *d, struct wt_merge *m,
			  char *err, size_t errlen)
{
	const struct wt_file_header *h = wt_reader_header(d->r);
	uint64_t half = wt_reader_size(d->r) / 2, total = d->raw_cpu_bytes;
	struct wt_merge_item it;
	struct wt_evtab tab;
	int rc = -1;

	if (wt_evtab_build(&tab, d->tep, h->byte_order_le, &d->meta) < 0 ||
	    wt_merge_init(m, d->r, h->byte_order_le, h->word_size, d->ix,
			  d->ncpu) < 0) {
		if (errno == ENOMEM)
			snprintf(err, errlen, "%s: out of memory in pass 2",
				 d->name);
		else
			snprintf(err, errlen, "%s: cannot start decoding: %s",
				 d->name, strerror(errno));
		goto out;
	}
	if (tab.unusable)
		damage(d, "the format of %s has no field %s: its records are "
		       "not decoded (%u modeled event(s) unusable)",
		       tab.unusable_event, tab.unusable_field, tab.unusable);
	while ((rc = wt_merge_next(m, &it)) == 1) {
		if (one_item(d, &tab, &it) < 0)
			break;
		if (d->progress && total)
			progress(d, half + (uint64_t)((double)m->bytes_loaded /
						      total * half), false);
	}
	if (rc < 0)
		snprintf(err, errlen, "%s: out of memory in pass 2", d->name);
	else
		rc = d->sink_rc ? -1 : 0;
	d->res->bad_subbufs = m->bad_chunks + m->bad_subbufs;
	if (m->damage[0])
		damage(d, "%s", m->damage);
out:
	wt_evtab_free(&tab);
	return rc;
}

/* Stats of every CPU that had data or stats, by CPU number; counters the
 * file lacks stay -1.  Also computes result->lost_events. */
static int deliver_stats(struct decoder *d, const struct wt_merge *m)
{
	uint64_t kernel = 0, pages = 0;
	bool any_stats = false;

	for (int cpu = 0; cpu < WT_MAX_CPUS; cpu++) {
		int slot = d->slot_of[cpu];
		struct wt_cpu_stats *s;

		if (slot < 0)
			continue;
		s = &d->stats[slot];
		s->missed_in_pages = wt_merge_missed(m, cpu);
		pages += s->missed_in_pages;
		if (d->have_stats[slot]) {
			any_stats = true;
			kernel += (s->overrun > 0 ? (uint64_t)s->overrun : 0) +
				  (s->dropped > 0 ? (uint64_t)s->dropped : 0);
		}
		if (d->sink->stats && (d->sink_rc = d->sink->stats(d->sink->ctx, s)))
			return -1;
	}
	d->res->lost_events = any_stats ? kernel : pages;
	return 0;
}

/* ---- entry points ------------------------------------------------------- */

static int run(struct decoder *d, char *err, size_t errlen)
{
	struct wt_merge m;
	int rc = -1;

	memset(&m, 0, sizeof(m));
	m.last = -1;
	d->tep = tep_alloc();
	if (!d->tep) {
		snprintf(err, errlen, "%s: out of memory", d->name);
		return -1;
	}
	tep_set_file_bigendian(d->tep, wt_reader_header(d->r)->byte_order_le ?
				       TEP_LITTLE_ENDIAN : TEP_BIG_ENDIAN);
	tep_set_long_size(d->tep, wt_reader_header(d->r)->word_size);
	if (pass1(d, err, errlen) < 0)
		goto out;
	if (deliver_meta(d) || deliver_procs(d, true) ||
	    deliver_cgroups(d, true) ||
	    (!d->page_layout_bad && deliver_events(d, &m, err, errlen)) ||
	    deliver_procs(d, false) || deliver_cgroups(d, false) ||
	    deliver_stats(d, &m))
		goto out;
	progress(d, wt_reader_size(d->r), true);
	rc = 0;
out:
	if (rc && d->sink_rc)
		snprintf(err, errlen, "%s: decoding stopped by the consumer",
			 d->name);
	wt_merge_free(&m);
	return rc;
}

static void cleanup(struct decoder *d)
{
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
	if (d->tep)
		tep_free(d->tep);
	wt_reader_close(d->r);
	free(d);
}

static int decode(struct wt_reader *r, const char *name,
		  const struct wt_sink *sink,
		  struct wt_decode_result *result,
		  void (*prog)(void *, uint64_t, uint64_t), char *err,
		  size_t errlen)
{
	static const struct wt_sink none;
	struct decoder *d;
	int rc;

	memset(result, 0, sizeof(*result));
	if (!r)
		return -1;
	d = calloc(1, sizeof(*d));
	if (!d) {
		wt_reader_close(r);
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	d->name = name;
	d->r = r;
	d->sink = sink ? sink : &none;
	d->res = result;
	d->progress = prog;
	memset(d->slot_of, -1, sizeof(d->slot_of));
	rc = run(d, err, errlen);
	cleanup(d);
	return rc;
}

int wt_decode_file(const char *path, const struct wt_sink *sink,
		   struct wt_decode_result *result,
		   void (*progress)(void *ctx, uint64_t done, uint64_t total),
		   char *err, size_t errlen)
{
	return decode(wt_reader_open(path, err, errlen), path, sink, result,
		      progress, err, errlen);
}

int wt_decode_mem(const void *buf, size_t len, const char *name,
		  const struct wt_sink *sink, struct wt_decode_result *result,
		  char *err, size_t errlen)
{
	return decode(wt_reader_open_mem(buf, len, name, err, errlen), name, sink,
		      result, NULL, err, errlen);
}
