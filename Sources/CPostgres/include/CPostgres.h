#ifndef PIE_CPOSTGRES_H
#define PIE_CPOSTGRES_H
/* libpq, opened with dlopen on first use instead of linked, like libcurl: only the automation
   store's PostgreSQL backend needs it, so every other pie command pays nothing for it, and a
   machine without libpq5 runs everything else. <libpq-fe.h> (from libpq-dev) is included for its
   types and constants only: call libpq through the cpq_* functions below, never the PQ*
   declarations (pie does not link libpq, so those would not link). */
#include <stddef.h>
#include <postgresql/libpq-fe.h>

/* Opens `library` (e.g. "libpq.so.5") and resolves every function pie uses. The first load that
   succeeds in the process installs them for the cpq_* calls; later calls keep them. Thread-safe.
   Returns 1 on success; 0 on failure, with a NUL-terminated reason in `error`. */
int cpq_load(const char *library, char *error, size_t error_size);

/* The libpq calls pie makes. Only valid after a successful cpq_load. */
PGconn *cpq_connectdb_params(const char *const *keywords, const char *const *values);
ConnStatusType cpq_status(const PGconn *conn);
char *cpq_error_message(const PGconn *conn);
void cpq_finish(PGconn *conn);
PGresult *cpq_exec_params(
    PGconn *conn, const char *command, int count, const Oid *types, const char *const *values, const int *lengths,
    const int *formats, int result_format);
/* One statement without parameters, sent as a simple query (BEGIN, COMMIT, ROLLBACK). */
PGresult *cpq_exec(PGconn *conn, const char *command);
/* Prepares `command` under `name` on this connection (its parameters typed by `types`; 0 = let the
   server infer), so later calls send only the name and the values: parsed and planned once. */
PGresult *cpq_prepare(PGconn *conn, const char *name, const char *command, int count, const Oid *types);
/* Runs the statement prepared as `name` with `count` text-format values (NULL for SQL NULL);
   text-format results. */
PGresult *cpq_exec_prepared(PGconn *conn, const char *name, int count, const char *const *values);
ExecStatusType cpq_result_status(const PGresult *result);
char *cpq_result_error_message(const PGresult *result);
char *cpq_result_error_field(const PGresult *result, int field);
void cpq_clear(PGresult *result);
int cpq_ntuples(const PGresult *result);
int cpq_nfields(const PGresult *result);
char *cpq_getvalue(const PGresult *result, int row, int column);
int cpq_getisnull(const PGresult *result, int row, int column);
char *cpq_cmd_tuples(PGresult *result);
/* Drops the server's NOTICE messages, which libpq would otherwise print on standard error. */
void cpq_silence_notices(PGconn *conn);
#endif
