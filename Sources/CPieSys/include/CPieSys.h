#ifndef PIE_CPIESYS_H
#define PIE_CPIESYS_H
#include <spawn.h>
#include <stdint.h>
#include <sys/types.h>

/* GNU extensions and raw syscalls that Swift's Glibc module does not expose. */

/* pipe2(2) with flags (O_CLOEXEC). */
int cpie_pipe2(int fds[2], int flags);

/* posix_spawn_file_actions_addclosefrom_np (glibc >= 2.34): close every fd >= from in the child. */
int cpie_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/* posix_spawn_file_actions_addchdir_np (glibc >= 2.29): chdir in the child before exec. */
int cpie_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/* openat2(2) through syscall(2); returns -1 with errno (ENOSYS where the kernel lacks it). */
int cpie_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

/* pidfd_open(2) (Linux >= 5.3); -1 with errno where the kernel lacks it. */
int cpie_pidfd_open(pid_t pid);

/* Whether `pid` has exited, without reaping it (waitid WEXITED|WNOWAIT), so its process group can
   still be signalled safely. Returns 1 when exited, 0 when still running (only with block == 0),
   -1 with errno on error. */
int cpie_peek_exited(pid_t pid, int block);

/* Resources pie limits in a spawned child, mapped to RLIMIT_* inside the C file. */
#define CPIE_LIMIT_NPROC 1
#define CPIE_LIMIT_AS 2
#define CPIE_LIMIT_FSIZE 3
#define CPIE_LIMIT_CPU 4
#define CPIE_LIMIT_NOFILE 5
#define CPIE_LIMIT_CORE 6

/* prlimit(2) on another process: sets soft and hard limit of `which` to min(value, current hard).
   Returns 0, or -1 with errno. Lowering never needs privileges, so clamping makes it work as any user. */
int cpie_lower_limit(pid_t pid, int which, uint64_t value);

/* RESOLVE_* constants of <linux/openat2.h>, exported as values Swift can read. */
extern const uint64_t CPIE_RESOLVE_NO_XDEV;
extern const uint64_t CPIE_RESOLVE_NO_MAGICLINKS;
extern const uint64_t CPIE_RESOLVE_NO_SYMLINKS;
extern const uint64_t CPIE_RESOLVE_BENEATH;
extern const uint64_t CPIE_RESOLVE_IN_ROOT;

/* O_PATH (a GNU flag the Swift Glibc module does not export). */
extern const int CPIE_O_PATH;

#endif
