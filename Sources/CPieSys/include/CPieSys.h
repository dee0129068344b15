#ifndef PIE_CPIESYS_H
#define PIE_CPIESYS_H
#include <stdint.h>
#include <sys/types.h>
#include "CPieSysInit.h"

/* GNU extensions and raw syscalls that Swift's Glibc module does not expose. */

/* pipe2(2) with flags (O_CLOEXEC). */
int cpie_pipe2(int fds[2], int flags);

/* A signal as a byte on a pipe: a handler (sigaction, installed before this returns) writes the
   signal's number to `write_fd`, which must be non-blocking; the handler is async-signal-safe and
   runs on whichever thread the kernel picks. Returns 0, or -1 with errno. */
int cpie_signal_forward(int signo, int write_fd);
/* Puts `signo` back to its default action. */
void cpie_signal_default(int signo);

/* posix_spawn file actions glibc declares only under _GNU_SOURCE: change directory, and close
   every descriptor from `low` up. */
#include <spawn.h>
int cpie_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);
int cpie_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int low);

/* openat2(2) through syscall(2); returns -1 with errno (ENOSYS where the kernel lacks it). */
int cpie_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

/* glibc's memmem(3), a GNU extension Swift's Glibc module does not show. */
const void *cpie_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

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

/* Lowers the calling process's limit `which` (a CPIE_LIMIT_* value) to min(value, its hard
   limit), soft and hard alike. Async-signal-safe: a vfork or clone child may call it. */
int cpie_lower_limit(int which, uint64_t value);

/* One resource limit for cpie_spawn: `which` is a CPIE_LIMIT_* value. */
struct cpie_limit {
    int which;
    uint64_t value;
};

/* What cpie_spawn does in the child, in this order, before execve:
   - joins the cgroup whose `cgroup.procs` is open as `cgroup_procs_fd` (when >= 0) by writing "0";
   - becomes the leader of a new process group;
   - resets every signal to its default action;
   - stdin from `input_fd` (or /dev/null when it is -1), stdout onto `output_fd`, stderr onto
     `error_fd` (or `output_fd` when it is -1), `inherited[i]` onto fd 3 + i, then closes every
     descriptor from 3 + inherited_count up;
   - lowers each limit to min(value, current hard limit), soft and hard alike;
   - changes to `cwd` when it is not NULL, and unblocks every signal.
   The descriptors in `inherited`, `input_fd`, `output_fd` and `error_fd` must all be >= 3 + inherited_count (callers stage
   them high), so no dup2 can overwrite a source that a later one still reads. */
struct cpie_spawn_request {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *cwd;
    int output_fd;
    const int *inherited;
    int inherited_count;
    const struct cpie_limit *limits;
    int limit_count;
    int cgroup_procs_fd;
    int input_fd;
    int error_fd;
};

/* Starts the child with vfork(2) so that limits and the cgroup are in place before the program runs
   any code of its own (posix_spawn has no attribute for either). Returns the pid, or -1 with
   `*failed_step` naming the step that failed in the child ("cgroup", "limit", "stdin", "dup2",
   "chdir", "exec", …) and errno set. */
pid_t cpie_spawn(const struct cpie_spawn_request *request, const char **failed_step);

/* A close-on-exec SOCK_SEQPACKET Unix socket pair (message boundaries kept, peer close seen). */
int cpie_seqpacket_pair(int fds[2]);

/* Sends one message with `count` descriptors attached (SCM_RIGHTS), as CMSG_* are macros Swift
   cannot call. Returns the bytes sent or -1 with errno. */
ssize_t cpie_send_with_descriptors(int socket, const void *bytes, size_t length, const int *fds, int count);

/* RESOLVE_* constants of <linux/openat2.h>, exported as values Swift can read. */
extern const uint64_t CPIE_RESOLVE_NO_XDEV;
extern const uint64_t CPIE_RESOLVE_NO_MAGICLINKS;
extern const uint64_t CPIE_RESOLVE_NO_SYMLINKS;
extern const uint64_t CPIE_RESOLVE_BENEATH;
extern const uint64_t CPIE_RESOLVE_IN_ROOT;

/* O_PATH (a GNU flag the Swift Glibc module does not export). */
extern const int CPIE_O_PATH;

#endif
