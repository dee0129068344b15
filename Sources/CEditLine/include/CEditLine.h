#ifndef PIE_CEDITLINE_H
#define PIE_CEDITLINE_H
/* libedit's readline interface (line editing and history for the interactive prompt), opened with
   dlopen on first use instead of linked: linking it maps libedit, libtinfo, libbsd and libmd and
   resolves their symbols at every start of pie, though only the interactive prompt needs them. */
#include <stddef.h>

/* Opens `library` (e.g. "libedit.so.2") and resolves every symbol pie uses. The first load that
   succeeds in the process installs them for the calls below; later calls still open and check
   `library` but keep the installed ones. Thread-safe. Returns 1 on success; 0 on failure, with a
   NUL-terminated reason in `error`. */
int pie_editline_load(const char *library, char *error, size_t error_size);

/* readline, using_history, add_history, read_history, write_history and rl_deprep_terminal.
   Only valid after a successful pie_editline_load. */
char *pie_editline_readline(const char *prompt);
void pie_editline_using_history(void);
int pie_editline_add_history(const char *line);
int pie_editline_read_history(const char *path);
int pie_editline_write_history(const char *path);
void pie_editline_deprep_terminal(void);

/* Leaves signal handling to the caller: libedit neither installs nor restores handlers around
   readline (rl_catch_signals = 0, a C global, so set here rather than from Swift's strict
   concurrency). */
void pie_editline_leave_signals(void);
#endif
