#include <CPieLibrary.h>
#include "CEditLine.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <editline/readline.h>

/* Every libedit symbol pie uses; each table entry takes its exact type from <editline/readline.h>.
   rl_catch_signals is a variable, so its entry is its address. */
#define CEDITLINE_SYMBOLS(X)                                                                      \
    X(readline) X(using_history) X(add_history) X(read_history) X(write_history)                  \
    X(rl_deprep_terminal) X(rl_catch_signals)

struct ceditline_table {
#define CEDITLINE_FIELD(name) __typeof__(&name) name;
    CEDITLINE_SYMBOLS(CEDITLINE_FIELD)
#undef CEDITLINE_FIELD
};

/* Written once under `install_lock`, then published through `installed` (release/acquire). */
static struct ceditline_table table;
static _Atomic(const struct ceditline_table *) installed;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct ceditline_table *api(void) {
    return atomic_load_explicit(&installed, memory_order_acquire);
}

int pie_editline_load(const char *library, char *error, size_t error_size) {
    void *handle = cpie_library_open(library, error, error_size);
    if (!handle) return 0;
    struct ceditline_table found;
#define CEDITLINE_RESOLVE(name) CPIE_LIBRARY_RESOLVE(found, handle, library, "libedit's readline interface", error, error_size, name)
    CEDITLINE_SYMBOLS(CEDITLINE_RESOLVE)
#undef CEDITLINE_RESOLVE

    pthread_mutex_lock(&install_lock);
    if (api()) {
        /* Already installed (this library or an earlier one): drop this extra reference. */
        dlclose(handle);
    } else {
        /* The handle stays open for the life of the process. */
        table = found;
        atomic_store_explicit(&installed, &table, memory_order_release);
    }
    pthread_mutex_unlock(&install_lock);
    return 1;
}

char *pie_editline_readline(const char *prompt) { return api()->readline(prompt); }
void pie_editline_using_history(void) { api()->using_history(); }
int pie_editline_add_history(const char *line) { return api()->add_history(line); }
int pie_editline_read_history(const char *path) { return api()->read_history(path); }
int pie_editline_write_history(const char *path) { return api()->write_history(path); }
void pie_editline_deprep_terminal(void) { api()->rl_deprep_terminal(); }
void pie_editline_leave_signals(void) { *api()->rl_catch_signals = 0; }
