#include <CPieLibrary.h>
#include "CCrypto.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

/* Every libcrypto function pie calls (all present since OpenSSL 1.1.0); each table entry takes its
   exact type from the OpenSSL headers. */
#define CCRYPTO_FUNCTIONS(X)                                                                      \
    X(EVP_sha256) X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_DigestInit_ex) X(EVP_DigestUpdate)   \
    X(EVP_DigestFinal_ex) X(HMAC)

struct ccrypto_table {
#define CCRYPTO_FIELD(name) __typeof__(&name) name;
    CCRYPTO_FUNCTIONS(CCRYPTO_FIELD)
#undef CCRYPTO_FIELD
};

/* Written once under `install_lock`, then published through `installed` (release/acquire). */
static struct ccrypto_table table;
static _Atomic(const struct ccrypto_table *) installed;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct ccrypto_table *api(void) {
    return atomic_load_explicit(&installed, memory_order_acquire);
}

int ccrypto_ready(void) { return api() != NULL; }

int ccrypto_load(const char *library, char *error, size_t error_size) {
    void *handle = cpie_library_open(library, error, error_size);
    if (!handle) return 0;
    struct ccrypto_table found;
#define CCRYPTO_RESOLVE(name) CPIE_LIBRARY_RESOLVE(found, handle, library, "OpenSSL 1.1.0 or newer", error, error_size, name)
    CCRYPTO_FUNCTIONS(CCRYPTO_RESOLVE)
#undef CCRYPTO_RESOLVE

    /* Before any other call: no atexit cleanup. OpenSSL 3 otherwise frees its state in an atexit
       handler while pie's other threads may still be hashing an audit record or a webhook body,
       and one of them crashes inside libcrypto as the process exits. Optional: absent before
       OpenSSL 1.1.1b, whose cleanup ran the same way. */
    __typeof__(&OPENSSL_init_crypto) init = (__typeof__(init))dlsym(handle, "OPENSSL_init_crypto");
    if (init) init(OPENSSL_INIT_NO_ATEXIT, NULL);

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

EVP_MD_CTX *ccrypto_sha256_new(void) {
    EVP_MD_CTX *context = api()->EVP_MD_CTX_new();
    if (!context) return NULL;
    if (api()->EVP_DigestInit_ex(context, api()->EVP_sha256(), NULL) != 1) {
        api()->EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}

int ccrypto_digest_update(EVP_MD_CTX *context, const void *bytes, size_t count) {
    return api()->EVP_DigestUpdate(context, bytes, count) == 1;
}

int ccrypto_sha256_finish(EVP_MD_CTX *context, unsigned char *digest) {
    unsigned int length = 0;
    int ok = api()->EVP_DigestFinal_ex(context, digest, &length) == 1 && length == 32;
    api()->EVP_MD_CTX_free(context);
    return ok;
}

void ccrypto_digest_free(EVP_MD_CTX *context) { api()->EVP_MD_CTX_free(context); }

int ccrypto_hmac_sha256(const void *key, size_t key_count, const void *message, size_t message_count, unsigned char *mac) {
    unsigned int length = 0;
    /* OpenSSL's HMAC takes the key length as int; a key that long is never legitimate. */
    if (key_count > 0x7fffffff) return 0;
    unsigned char *result = api()->HMAC(api()->EVP_sha256(), key, (int)key_count, message, message_count, mac, &length);
    return result != NULL && length == 32;
}
