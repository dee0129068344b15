#ifndef PIE_CCRYPTO_H
#define PIE_CCRYPTO_H
/* OpenSSL's libcrypto, opened with dlopen on first use instead of linked, like libcurl (see
   CCurl.h): linking it would make the dynamic loader map and relocate it at every start of pie,
   also for the commands that never hash. <openssl/evp.h> and <openssl/hmac.h> (libssl-dev) are
   included for their types only: call libcrypto through the ccrypto_* functions below. */
#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* Opens `library` (e.g. "libcrypto.so.3") and resolves every function pie uses. The first load
   that succeeds in the process installs them for the ccrypto_* calls; later calls still open and
   check `library` but keep the installed functions. Thread-safe.
   Returns 1 on success; 0 on failure, with a NUL-terminated reason in `error`. */
int ccrypto_load(const char *library, char *error, size_t error_size);

/* 1 once a load has succeeded in this process (one atomic load), else 0. */
int ccrypto_ready(void);

/* SHA-256 through the EVP digest interface. Only valid after a successful ccrypto_load. A context
   from ccrypto_sha256_new is initialised; each call returns 1 on success, 0 on failure. */
EVP_MD_CTX *ccrypto_sha256_new(void);
int ccrypto_digest_update(EVP_MD_CTX *context, const void *bytes, size_t count);
/* Writes the 32-byte digest to `digest` and frees the context. */
int ccrypto_sha256_finish(EVP_MD_CTX *context, unsigned char *digest);
void ccrypto_digest_free(EVP_MD_CTX *context);

/* HMAC-SHA256 of `message` under `key` in one call; writes 32 bytes to `mac`. */
int ccrypto_hmac_sha256(const void *key, size_t key_count, const void *message, size_t message_count, unsigned char *mac);
#endif
