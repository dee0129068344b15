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

/* openat2(2) through syscall(2); returns -1 with errno (ENOSYS where the kernel lacks it). */
int cpie_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

/* RESOLVE_* constants of <linux/openat2.h>, exported as values Swift can read. */
extern const uint64_t CPIE_RESOLVE_NO_XDEV;
extern const uint64_t CPIE_RESOLVE_NO_MAGICLINKS;
extern const uint64_t CPIE_RESOLVE_NO_SYMLINKS;
extern const uint64_t CPIE_RESOLVE_BENEATH;
extern const uint64_t CPIE_RESOLVE_IN_ROOT;

#endif
