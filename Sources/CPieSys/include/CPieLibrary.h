#ifndef PIE_CPIE_LIBRARY_H
#define PIE_CPIE_LIBRARY_H
#include <dlfcn.h>
#include <stdio.h>

/* The one way pie's loaders (libcurl, libcrypto, libedit, libpq: opened on first use, never
   linked) open their library. RTLD_LAZY, as when it was linked: every function pie calls is
   resolved with CPIE_LIBRARY_RESOLVE, and binding the rest of the library and its dependencies
   up front would only cost time. On failure `error` gets dlerror's text and NULL is returned. */
static inline void *cpie_library_open(const char *library, char *error, size_t error_size) {
    void *handle = dlopen(library, RTLD_LAZY | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(error, error_size, "%s", reason ? reason : "dlopen failed");
    }
    return handle;
}

/* Inside a loader returning int: stores the function `name` of `handle` in `table.name`, or writes
   which function `library` lacks and what pie needs (`requirement`), closes it and returns 0. */
#define CPIE_LIBRARY_RESOLVE(table, handle, library, requirement, error, error_size, name)        \
    (table).name = (__typeof__((table).name))dlsym((handle), #name);                                \
    if (!(table).name) {                                                                            \
        snprintf((error), (error_size), "%s has no %s; pie needs %s", (library), #name, (requirement)); \
        dlclose(handle);                                                                            \
        return 0;                                                                                   \
    }

#endif
