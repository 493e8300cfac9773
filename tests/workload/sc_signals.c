/*
 * sc_signals.c - `wtwork signals`: children killed by one signal of each
 * class whose default action kills: terminate (SIGHUP 1, SIGALRM 14,
 * SIGTERM 15, SIGUSR1 10, SIGPROF 27, SIGVTALRM 26, SIGIO 29, SIGPWR 30,
 * SIGSTKFLT 16), terminate and dump core (SIGSEGV 11, SIGBUS 7, SIGABRT 6;
 * held children are not dumpable, so no core is written) and real-time
 * (SIGRTMIN+6 = 40, 64).  Each raises its signal with the default action;
 * wait4(pid) reaps it with that signal in the status (child_exit).
 */
#include "scenario.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

int sc_signals(int argc, char **argv)
{
	static const int sigs[] = { 1, 14, 15, 10, 27, 26, 29, 30, 16, 11, 7,
				    6, 40, 64 };
	int failed = 0;

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct held h;
		struct wc_result r;

		if (held_fork(&h, FATE_RAISE, sigs[i]) < 0 ||
		    held_release(&h) < 0)
			return 1;
		wc_wait4(h.pid, 0, &r);
		failed |= held_verify(&h, &r) < 0;
	}
	return failed;
}
