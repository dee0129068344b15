#define _GNU_SOURCE
#include "CPieSys.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

const void *cpie_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}

static volatile sig_atomic_t forward_fds[65] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

static void forward_handler(int signo) {
    int saved = errno;
    int fd = (signo > 0 && signo < 65) ? forward_fds[signo] : -1;
    if (fd >= 0) {
        unsigned char byte = (unsigned char)signo;
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int cpie_signal_forward(int signo, int write_fd) {
    if (signo <= 0 || signo >= 65) {
        errno = EINVAL;
        return -1;
    }
    forward_fds[signo] = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(signo, &action, NULL);
}

void cpie_signal_default(int signo) {
    signal(signo, SIG_DFL);
    if (signo > 0 && signo < 65) forward_fds[signo] = -1;
}

int cpie_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cpie_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int low) {
    return posix_spawn_file_actions_addclosefrom_np(actions, low);
}

int cpie_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int cpie_seqpacket_pair(int fds[2]) { return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds); }

ssize_t cpie_send_with_descriptors(int socket, const void *bytes, size_t length, const int *fds, int count) {
    if (count < 0 || count > 8) {
        errno = EINVAL;
        return -1;
    }
    union {
        char buffer[CMSG_SPACE(8 * sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct iovec vector = { (void *)bytes, length };
    struct msghdr header;
    memset(&header, 0, sizeof header);
    header.msg_iov = &vector;
    header.msg_iovlen = 1;
    if (count > 0) {
        header.msg_control = control.buffer;
        header.msg_controllen = CMSG_SPACE((size_t)count * sizeof(int));
        struct cmsghdr *item = CMSG_FIRSTHDR(&header);
        item->cmsg_level = SOL_SOCKET;
        item->cmsg_type = SCM_RIGHTS;
        item->cmsg_len = CMSG_LEN((size_t)count * sizeof(int));
        memcpy(CMSG_DATA(item), fds, (size_t)count * sizeof(int));
    }
    ssize_t sent;
    while ((sent = sendmsg(socket, &header, MSG_NOSIGNAL)) < 0 && errno == EINTR) {}
    return sent;
}

int cpie_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

static int rlimit_resource(int which) {
    switch (which) {
    case CPIE_LIMIT_NPROC: return RLIMIT_NPROC;
    case CPIE_LIMIT_AS: return RLIMIT_AS;
    case CPIE_LIMIT_FSIZE: return RLIMIT_FSIZE;
    case CPIE_LIMIT_CPU: return RLIMIT_CPU;
    case CPIE_LIMIT_NOFILE: return RLIMIT_NOFILE;
    case CPIE_LIMIT_CORE: return RLIMIT_CORE;
    default: return -1;
    }
}

/* Everything below runs in the vfork child, which shares the parent's memory and stack until it
   calls execve or _exit: only plain system calls, no allocation, no locks, no return. */

int cpie_lower_limit(int which, uint64_t value) {
    int resource = rlimit_resource(which);
    if (resource < 0) { errno = EINVAL; return -1; }
    struct rlimit current;
    if (getrlimit(resource, &current) != 0) return -1;
    rlim_t wanted = (rlim_t)value;
    if (current.rlim_max != RLIM_INFINITY && wanted > current.rlim_max) wanted = current.rlim_max;
    struct rlimit next = { wanted, wanted };
    return setrlimit(resource, &next);
}

static void close_from(int lowest) {
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
    struct rlimit files;
    int highest = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
        ? (int)files.rlim_cur : 65536;
    for (int fd = lowest; fd < highest; fd++) close(fd);
}

static void fail_in_child(volatile const char **step_slot, volatile int *errno_slot, const char *step) {
    *errno_slot = errno;
    *step_slot = step;
    _exit(127);
}

pid_t cpie_spawn(const struct cpie_spawn_request *request, const char **failed_step) {
    volatile const char *step = NULL;
    volatile int child_errno = 0;
    sigset_t all, previous;
    sigfillset(&all);
    /* No handler of pie's may run on the shared stack in the child. */
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    pid_t pid = vfork();
    if (pid == 0) {
        if (request->cgroup_procs_fd >= 0 && write(request->cgroup_procs_fd, "0", 1) != 1)
            fail_in_child(&step, &child_errno, "cgroup");
        if (setpgid(0, 0) != 0) fail_in_child(&step, &child_errno, "setpgid");
        struct sigaction fallback;
        memset(&fallback, 0, sizeof fallback);
        fallback.sa_handler = SIG_DFL;
        for (int signal = 1; signal < NSIG; signal++) sigaction(signal, &fallback, NULL);
        int input = request->input_fd >= 0 ? request->input_fd : open("/dev/null", O_RDONLY);
        if (input < 0) fail_in_child(&step, &child_errno, "stdin");
        if (dup2(input, 0) != 0) fail_in_child(&step, &child_errno, "dup2");
        if (input != 0 && input != request->input_fd) close(input);
        int errors = request->error_fd >= 0 ? request->error_fd : request->output_fd;
        if (dup2(request->output_fd, 1) != 1 || dup2(errors, 2) != 2)
            fail_in_child(&step, &child_errno, "dup2");
        for (int i = 0; i < request->inherited_count; i++)
            if (dup2(request->inherited[i], 3 + i) != 3 + i) fail_in_child(&step, &child_errno, "dup2");
        close_from(3 + request->inherited_count);
        /* After the descriptors are in place: a low RLIMIT_NOFILE must not stop the dup2 calls. */
        for (int i = 0; i < request->limit_count; i++)
            if (cpie_lower_limit(request->limits[i].which, request->limits[i].value) != 0)
                fail_in_child(&step, &child_errno, "limit");
        if (request->cwd && chdir(request->cwd) != 0) fail_in_child(&step, &child_errno, "chdir");
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve(request->path, request->argv, request->envp);
        fail_in_child(&step, &child_errno, "exec");
    }
    int spawn_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) {
        *failed_step = "vfork";
        errno = spawn_errno;
        return -1;
    }
    if (step != NULL) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        *failed_step = (const char *)step;
        errno = child_errno;
        return -1;
    }
    return pid;
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
