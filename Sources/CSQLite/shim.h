#ifndef PIE_CSQLITE_SHIM_H
#define PIE_CSQLITE_SHIM_H
/* The SQLite3 C API (libsqlite3-dev) for the session index; Swift wraps it in PieAgent/Session. */
#include <sqlite3.h>
#endif
