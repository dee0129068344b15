/* The calls below go through function pointers named like libcurl's functions; curl.h's
   type-checking macros of the same names would rewrite them. */
#define CURL_DISABLE_TYPECHECK
#include <CPieLibrary.h>
#include "CCurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

/* Every libcurl function pie calls; each table entry takes its exact type from <curl/curl.h>.
   curl_multi_poll needs libcurl 7.66 and curl_multi_wakeup 7.68. */
#define CCURL_FUNCTIONS(X)                                                                        \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_reset)                 \
    X(curl_easy_strerror) X(curl_easy_setopt) X(curl_easy_getinfo) X(curl_multi_init)            \
    X(curl_multi_cleanup) X(curl_multi_add_handle) X(curl_multi_remove_handle)                    \
    X(curl_multi_perform) X(curl_multi_poll) X(curl_multi_wakeup) X(curl_multi_info_read)         \
    X(curl_multi_strerror) X(curl_slist_append) X(curl_slist_free_all)

struct ccurl_table {
#define CCURL_FIELD(name) __typeof__(&name) name;
    CCURL_FUNCTIONS(CCURL_FIELD)
#undef CCURL_FIELD
};

/* Written once under `install_lock`, then published through `installed` (release/acquire). */
static struct ccurl_table table;
static _Atomic(const struct ccurl_table *) installed;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct ccurl_table *api(void) {
    return atomic_load_explicit(&installed, memory_order_acquire);
}

int ccurl_load(const char *library, char *error, size_t error_size) {
    void *handle = cpie_library_open(library, error, error_size);
    if (!handle) return 0;
    struct ccurl_table found;
#define CCURL_RESOLVE(name) CPIE_LIBRARY_RESOLVE(found, handle, library, "libcurl 7.68 or newer", error, error_size, name)
    CCURL_FUNCTIONS(CCURL_RESOLVE)
#undef CCURL_RESOLVE

    int ok = 1;
    pthread_mutex_lock(&install_lock);
    if (api()) {
        /* Already installed (this library or an earlier one): drop this extra reference. */
        dlclose(handle);
    } else {
        CURLcode code = found.curl_global_init(CURL_GLOBAL_DEFAULT);
        if (code == CURLE_OK) {
            /* The handle stays open for the life of the process. */
            table = found;
            atomic_store_explicit(&installed, &table, memory_order_release);
        } else {
            snprintf(error, error_size, "curl_global_init failed: %s", found.curl_easy_strerror(code));
            dlclose(handle);
            ok = 0;
        }
    }
    pthread_mutex_unlock(&install_lock);
    return ok;
}

CURL *ccurl_easy_init(void) { return api()->curl_easy_init(); }
void ccurl_easy_cleanup(CURL *easy) { api()->curl_easy_cleanup(easy); }
void ccurl_easy_reset(CURL *easy) { api()->curl_easy_reset(easy); }
const char *ccurl_easy_strerror(CURLcode code) { return api()->curl_easy_strerror(code); }
CURLM *ccurl_multi_init(void) { return api()->curl_multi_init(); }
CURLMcode ccurl_multi_cleanup(CURLM *multi) { return api()->curl_multi_cleanup(multi); }
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *easy) { return api()->curl_multi_add_handle(multi, easy); }
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *easy) { return api()->curl_multi_remove_handle(multi, easy); }
CURLMcode ccurl_multi_perform(CURLM *multi, int *running) { return api()->curl_multi_perform(multi, running); }

CURLMcode ccurl_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int extra_count, int timeout_ms, int *ready) {
    return api()->curl_multi_poll(multi, extra, extra_count, timeout_ms, ready);
}

CURLMcode ccurl_multi_wakeup(CURLM *multi) { return api()->curl_multi_wakeup(multi); }
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *remaining) { return api()->curl_multi_info_read(multi, remaining); }
const char *ccurl_multi_strerror(CURLMcode code) { return api()->curl_multi_strerror(code); }

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) {
    return api()->curl_slist_append(list, text);
}

void ccurl_slist_free_all(struct curl_slist *list) { api()->curl_slist_free_all(list); }

CURLcode ccurl_setopt_long(CURL *easy, CURLoption option, long value) { return api()->curl_easy_setopt(easy, option, value); }
CURLcode ccurl_setopt_off(CURL *easy, CURLoption option, curl_off_t value) { return api()->curl_easy_setopt(easy, option, value); }
CURLcode ccurl_setopt_string(CURL *easy, CURLoption option, const char *value) { return api()->curl_easy_setopt(easy, option, value); }
CURLcode ccurl_setopt_pointer(CURL *easy, CURLoption option, void *value) { return api()->curl_easy_setopt(easy, option, value); }
CURLcode ccurl_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) { return api()->curl_easy_setopt(easy, option, value); }

CURLcode ccurl_setopt_data_callback(CURL *easy, CURLoption option, ccurl_data_cb callback) {
    return api()->curl_easy_setopt(easy, option, callback);
}

CURLcode ccurl_getinfo_long(CURL *easy, CURLINFO info, long *value) { return api()->curl_easy_getinfo(easy, info, value); }
