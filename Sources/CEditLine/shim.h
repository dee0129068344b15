#ifndef PIE_CEDITLINE_SHIM_H
#define PIE_CEDITLINE_SHIM_H
/* libedit's readline-compatible API: line editing and history for the interactive prompt. */
#include <stdio.h>
#include <editline/readline.h>
#endif
