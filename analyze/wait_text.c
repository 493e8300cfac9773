/*
 * wait_text.c - spelling of wait calls (see wait_text.h).
 *
 * Option names and their order follow strace's wait4_options table (which
 * it uses for waitid too): WNOHANG WSTOPPED WEXITED WCONTINUED WNOWAIT
 * __WCLONE __WALL __WNOTHREAD.  Bit 2 is WUNTRACED in wait4's manual page
 * and WSTOPPED in waitid's: the same bit, which strace calls WSTOPPED.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "event.h"
#include "wait_text.h"

const char *wt_errno_name(int64_t ret)
{
	static const struct { int e; const char *name; } tab[] = {
		{ 1, "EPERM" }, { 3, "ESRCH" }, { 4, "EINTR" }, { 9, "EBADF" },
		{ 10, "ECHILD" }, { 11, "EAGAIN" }, { 12, "ENOMEM" },
		{ 14, "EFAULT" }, { 22, "EINVAL" }, { 512, "ERESTARTSYS" },
		{ 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
		{ 515, "ENOIOCTLCMD" }, { 516, "ERESTART_RESTARTBLOCK" },
	};
	int e = (int)-ret;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].e == e)
			return tab[i].name;
	const char *n = e > 0 && e < 4096 ? strerrorname_np(e) : NULL;
	return n ? n : "E?";
}

void wt_options_text(uint32_t opt, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} t[] = {
		{ 0x1, "WNOHANG" }, { 0x2, "WSTOPPED" }, { 0x4, "WEXITED" },
		{ 0x8, "WCONTINUED" }, { 0x01000000, "WNOWAIT" },
		{ 0x80000000, "__WCLONE" }, { 0x40000000, "__WALL" },
		{ 0x20000000, "__WNOTHREAD" },
	};
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!(opt & t[i].bit))
			continue;
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
			      n ? "|" : "", t[i].name);
		opt &= ~t[i].bit;
	}
	if (opt)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%#x",
			      n ? "|" : "", opt);
	if (!n)
		snprintf(buf, len, "0");
}

const char *wt_idtype_name(int which)
{
	switch (which) {
	case WT_P_ALL: return "P_ALL";
	case WT_P_PID: return "P_PID";
	case WT_P_PGID: return "P_PGID";
	case WT_P_PIDFD: return "P_PIDFD";
	default: return NULL;
	}
}

const char *wt_error_class(int64_t ret, int which)
{
	if (ret >= 0)
		return NULL;
	switch (-ret) {
	case 10: /* ECHILD */
		return which == WT_P_PID || which == WT_P_PIDFD ? "lost_child"
								: "no_children";
	case 4:
		return "interrupted";
	case 512: case 513: case 514: case 516:
		return "restart";
	case 11:
		return which == WT_P_PIDFD ? "would_block" : "caller_bug";
	default:
		return "caller_bug";
	}
}
