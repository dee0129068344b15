#define _GNU_SOURCE
#include "CPieSys.h"
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

const uint64_t CPIE_RESOLVE_NO_XDEV = RESOLVE_NO_XDEV;
const uint64_t CPIE_RESOLVE_NO_MAGICLINKS = RESOLVE_NO_MAGICLINKS;
const uint64_t CPIE_RESOLVE_NO_SYMLINKS = RESOLVE_NO_SYMLINKS;
const uint64_t CPIE_RESOLVE_BENEATH = RESOLVE_BENEATH;
const uint64_t CPIE_RESOLVE_IN_ROOT = RESOLVE_IN_ROOT;

int cpie_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }

int cpie_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int cpie_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}
