#ifndef PIE_CEDITLINE_SHIM_H
#define PIE_CEDITLINE_SHIM_H
/* libedit's readline-compatible API: line editing and history for the interactive prompt. */
#include <stdio.h>
#include <editline/readline.h>

/* Leaves signal handling to the caller: libedit neither installs nor restores handlers around
   readline (a C global, so set here rather than from Swift's strict concurrency). */
static inline void pie_editline_leave_signals(void) { rl_catch_signals = 0; }
#endif
