#define _GNU_SOURCE
#include "CPieSys.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

const uint64_t CPIE_RESOLVE_NO_XDEV = RESOLVE_NO_XDEV;
const uint64_t CPIE_RESOLVE_NO_MAGICLINKS = RESOLVE_NO_MAGICLINKS;
const uint64_t CPIE_RESOLVE_NO_SYMLINKS = RESOLVE_NO_SYMLINKS;
const uint64_t CPIE_RESOLVE_BENEATH = RESOLVE_BENEATH;
const uint64_t CPIE_RESOLVE_IN_ROOT = RESOLVE_IN_ROOT;
const int CPIE_O_PATH = O_PATH;

int cpie_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }

int cpie_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int cpie_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cpie_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int cpie_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int cpie_lower_limit(pid_t pid, int which, uint64_t value) {
    int resource;
    switch (which) {
    case CPIE_LIMIT_NPROC: resource = RLIMIT_NPROC; break;
    case CPIE_LIMIT_AS: resource = RLIMIT_AS; break;
    case CPIE_LIMIT_FSIZE: resource = RLIMIT_FSIZE; break;
    case CPIE_LIMIT_CPU: resource = RLIMIT_CPU; break;
    case CPIE_LIMIT_NOFILE: resource = RLIMIT_NOFILE; break;
    case CPIE_LIMIT_CORE: resource = RLIMIT_CORE; break;
    default: errno = EINVAL; return -1;
    }
    struct rlimit current;
    if (prlimit(pid, resource, NULL, &current) != 0) return -1;
    rlim_t wanted = (rlim_t)value;
    if (current.rlim_max != RLIM_INFINITY && wanted > current.rlim_max) wanted = current.rlim_max;
    struct rlimit next = { wanted, wanted };
    return prlimit(pid, resource, &next, NULL);
}

int cpie_peek_exited(pid_t pid, int block) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    for (;;) {
        int rc = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
        if (rc == 0) return info.si_pid == pid ? 1 : 0;
        if (errno != EINTR) return -1;
    }
}
