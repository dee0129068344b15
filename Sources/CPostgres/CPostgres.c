#include <CPieLibrary.h>
#include "CPostgres.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

/* Every libpq function pie calls; each table entry takes its exact type from <libpq-fe.h>. */
#define CPQ_FUNCTIONS(X)                                                                          \
    X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) X(PQfinish) X(PQexecParams) X(PQexec)     \
    X(PQprepare) X(PQexecPrepared)                                                                \
    X(PQresultStatus) X(PQresultErrorMessage) X(PQresultErrorField) X(PQclear) X(PQntuples)       \
    X(PQnfields) X(PQgetvalue) X(PQgetisnull) X(PQcmdTuples) X(PQsetNoticeProcessor)

struct cpq_table {
#define CPQ_FIELD(name) __typeof__(&name) name;
    CPQ_FUNCTIONS(CPQ_FIELD)
#undef CPQ_FIELD
};

/* Written once under `install_lock`, then published through `installed` (release/acquire). */
static struct cpq_table table;
static _Atomic(const struct cpq_table *) installed;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct cpq_table *api(void) {
    return atomic_load_explicit(&installed, memory_order_acquire);
}

int cpq_load(const char *library, char *error, size_t error_size) {
    if (api()) return 1;
    void *handle = cpie_library_open(library, error, error_size);
    if (!handle) return 0;
    struct cpq_table found;
#define CPQ_RESOLVE(name) CPIE_LIBRARY_RESOLVE(found, handle, library, "libpq 10 or newer", error, error_size, name)
    CPQ_FUNCTIONS(CPQ_RESOLVE)
#undef CPQ_RESOLVE

    pthread_mutex_lock(&install_lock);
    if (api()) {
        dlclose(handle);
    } else {
        /* The handle stays open for the life of the process. */
        table = found;
        atomic_store_explicit(&installed, &table, memory_order_release);
    }
    pthread_mutex_unlock(&install_lock);
    return 1;
}

PGconn *cpq_connectdb_params(const char *const *keywords, const char *const *values) {
    return api()->PQconnectdbParams(keywords, values, 0);
}
ConnStatusType cpq_status(const PGconn *conn) { return api()->PQstatus(conn); }
char *cpq_error_message(const PGconn *conn) { return api()->PQerrorMessage(conn); }
void cpq_finish(PGconn *conn) { api()->PQfinish(conn); }

PGresult *cpq_exec_params(
    PGconn *conn, const char *command, int count, const Oid *types, const char *const *values, const int *lengths,
    const int *formats, int result_format) {
    return api()->PQexecParams(conn, command, count, types, values, lengths, formats, result_format);
}

PGresult *cpq_exec(PGconn *conn, const char *command) { return api()->PQexec(conn, command); }

PGresult *cpq_prepare(PGconn *conn, const char *name, const char *command, int count, const Oid *types) {
    return api()->PQprepare(conn, name, command, count, types);
}

PGresult *cpq_exec_prepared(PGconn *conn, const char *name, int count, const char *const *values) {
    return api()->PQexecPrepared(conn, name, count, values, NULL, NULL, 0);
}

ExecStatusType cpq_result_status(const PGresult *result) { return api()->PQresultStatus(result); }
char *cpq_result_error_message(const PGresult *result) { return api()->PQresultErrorMessage(result); }
char *cpq_result_error_field(const PGresult *result, int field) { return api()->PQresultErrorField(result, field); }
void cpq_clear(PGresult *result) { api()->PQclear(result); }
int cpq_ntuples(const PGresult *result) { return api()->PQntuples(result); }
int cpq_nfields(const PGresult *result) { return api()->PQnfields(result); }
char *cpq_getvalue(const PGresult *result, int row, int column) { return api()->PQgetvalue(result, row, column); }
int cpq_getisnull(const PGresult *result, int row, int column) { return api()->PQgetisnull(result, row, column); }
char *cpq_cmd_tuples(PGresult *result) { return api()->PQcmdTuples(result); }

static void ignore_notice(void *argument, const char *message) {
    (void)argument;
    (void)message;
}

void cpq_silence_notices(PGconn *conn) { api()->PQsetNoticeProcessor(conn, ignore_notice, NULL); }
