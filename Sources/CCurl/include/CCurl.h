#ifndef PIE_CCURL_H
#define PIE_CCURL_H
/* libcurl, opened with dlopen on first use instead of linked. Linking it makes the dynamic loader
   map and relocate some thirty libraries (OpenSSL, gnutls, Kerberos, LDAP, SSH, ...) at every
   start of pie, about 10 ms, even for commands that never make a request. <curl/curl.h> is
   included for its types and constants only: call libcurl through the ccurl_* functions below,
   never the curl_* declarations (pie does not link libcurl, so those would not link). */
#include <stddef.h>
#include <curl/curl.h>

/* Opens `library` (e.g. "libcurl.so.4") and resolves every function pie uses. The first load that
   succeeds in the process installs them for the ccurl_* calls and runs curl_global_init; later
   calls still open and check `library` but keep the installed functions. Thread-safe.
   Returns 1 on success; 0 on failure, with a NUL-terminated reason in `error`. */
int ccurl_load(const char *library, char *error, size_t error_size);

/* The libcurl calls pie makes. Only valid after a successful ccurl_load. */
CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *easy);
void ccurl_easy_reset(CURL *easy);
const char *ccurl_easy_strerror(CURLcode code);
CURLM *ccurl_multi_init(void);
CURLMcode ccurl_multi_cleanup(CURLM *multi);
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *easy);
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *easy);
CURLMcode ccurl_multi_perform(CURLM *multi, int *running);
CURLMcode ccurl_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int extra_count, int timeout_ms, int *ready);
CURLMcode ccurl_multi_wakeup(CURLM *multi);
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *remaining);
const char *ccurl_multi_strerror(CURLMcode code);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text);
void ccurl_slist_free_all(struct curl_slist *list);

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
   one typed wrapper per argument kind. */
typedef size_t (*ccurl_data_cb)(char *, size_t, size_t, void *);
CURLcode ccurl_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode ccurl_setopt_off(CURL *easy, CURLoption option, curl_off_t value);
CURLcode ccurl_setopt_string(CURL *easy, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *easy, CURLoption option, void *value);
CURLcode ccurl_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_data_callback(CURL *easy, CURLoption option, ccurl_data_cb callback);
CURLcode ccurl_getinfo_long(CURL *easy, CURLINFO info, long *value);
#endif
