/* pie-sandbox-init: runs as the command of one long-lived bubblewrap sandbox (a "warm" sandbox)
   and starts each of pie's commands inside it, so a command pays for a fork and a few mounts
   instead of for a whole new bubblewrap setup.

   bwrap has already built everything that does not change between commands: the namespaces, the
   read-only root, /dev, the private /tmp, the writable roots, the re-bound protected paths and the
   deny masks. It runs this program with CAP_SYS_ADMIN inside the sandbox's user namespace only, so
   that each command can get, in a child cloned into a new mount and PID namespace:
     - the pids cgroup pie made for it, joined before anything else;
     - a fresh /proc for its own PID namespace (the command is PID 1 there, so when it exits the
       kernel kills everything it left behind);
     - a fresh, size-capped /tmp and /dev/shm, so nothing one command leaves there reaches the
       next, exactly as with a bubblewrap of its own (the roots bound beneath /tmp are carried
       over onto the new /tmp);
     - a read-only /dev/null mask on each protected path that does not exist (pie creates the
       empty placeholder on the host right before, and removes it after, as with a cold sandbox);
     - its resource limits and working directory;
     - no capabilities at all, no_new_privs, and pie's seccomp program;
   and then execve. The wire format is in CPieSysInit.h. */
#define _GNU_SOURCE
#include "CPieSys.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_MESSAGE (1 << 20)
#define MAX_COMMANDS 256
#define MAX_STRINGS 65536
#define MAX_LIMITS 16

struct request {
    uint64_t flags;
    uint64_t scratch_bytes;
    uint64_t limit_count;
    uint64_t limits[MAX_LIMITS][2];
    struct sock_fprog filter;
    const char *cwd;
    char **argv;
    char **envp;
    const char **masks;
    uint64_t mask_count;
    /* "rPATH": must be read-only; "nPATH": must be the /dev/null mask. */
    const char **checks;
    uint64_t check_count;
    int reply_fd;
    int output_fd;
    int cgroup_fd;
};

struct command {
    pid_t pid;
    int reply_fd;
    /* Killed on pie's request: its socket is no longer watched until the exit is reaped. */
    int killed;
};

static struct command commands[MAX_COMMANDS];
static int command_count;

static void send_reply(int fd, int32_t kind, int32_t value, int32_t error, const char *step) {
    struct pie_init_reply reply;
    memset(&reply, 0, sizeof reply);
    reply.kind = kind;
    reply.value = value;
    reply.error = error;
    if (step) snprintf(reply.step, sizeof reply.step, "%s", step);
    while (send(fd, &reply, sizeof reply, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
}

/* Reads a native uint64 at *cursor, advancing it; 0 when the message is too short. */
static int take_u64(const char **cursor, const char *end, uint64_t *value) {
    if ((size_t)(end - *cursor) < sizeof *value) return 0;
    memcpy(value, *cursor, sizeof *value);
    *cursor += sizeof *value;
    return 1;
}

/* Points `out[0..<count]` at consecutive NUL-terminated strings; 0 when they run past the end. */
static int take_strings(const char **cursor, const char *end, uint64_t count, const char **out) {
    for (uint64_t i = 0; i < count; i++) {
        const char *nul = memchr(*cursor, '\0', (size_t)(end - *cursor));
        if (!nul) return 0;
        out[i] = *cursor;
        *cursor = nul + 1;
    }
    return 1;
}

/* Parses one request message; the string arrays are allocated and point into `message`. */
static int parse_request(const char *message, size_t length, struct request *request) {
    const char *cursor = message, *end = message + length;
    if (length < 4 || memcmp(cursor, PIE_INIT_MAGIC, 4) != 0) return 0;
    cursor += 4;
    uint64_t filter_bytes, argc, envc;
    if (!take_u64(&cursor, end, &request->flags) || !take_u64(&cursor, end, &request->scratch_bytes)
        || !take_u64(&cursor, end, &request->limit_count))
        return 0;
    if (request->limit_count > MAX_LIMITS) return 0;
    for (uint64_t i = 0; i < request->limit_count; i++)
        if (!take_u64(&cursor, end, &request->limits[i][0]) || !take_u64(&cursor, end, &request->limits[i][1]))
            return 0;
    if (!take_u64(&cursor, end, &filter_bytes)) return 0;
    if (filter_bytes == 0 || filter_bytes % sizeof(struct sock_filter) != 0 || filter_bytes > (uint64_t)(end - cursor)
        || filter_bytes / sizeof(struct sock_filter) > BPF_MAXINSNS)
        return 0;
    request->filter.len = (unsigned short)(filter_bytes / sizeof(struct sock_filter));
    request->filter.filter = malloc(filter_bytes);
    if (!request->filter.filter) return 0;
    memcpy(request->filter.filter, cursor, filter_bytes);
    cursor += filter_bytes;
    if (!take_u64(&cursor, end, &argc) || !take_u64(&cursor, end, &envc)
        || !take_u64(&cursor, end, &request->mask_count) || !take_u64(&cursor, end, &request->check_count))
        return 0;
    if (argc == 0 || argc > MAX_STRINGS || envc > MAX_STRINGS || request->mask_count > MAX_STRINGS
        || request->check_count > MAX_STRINGS)
        return 0;
    request->argv = calloc(argc + 1, sizeof(char *));
    request->envp = calloc(envc + 1, sizeof(char *));
    request->masks = calloc(request->mask_count + 1, sizeof(char *));
    request->checks = calloc(request->check_count + 1, sizeof(char *));
    if (!request->argv || !request->envp || !request->masks || !request->checks) return 0;
    return take_strings(&cursor, end, 1, &request->cwd)
        && take_strings(&cursor, end, argc, (const char **)request->argv)
        && take_strings(&cursor, end, envc, (const char **)request->envp)
        && take_strings(&cursor, end, request->mask_count, request->masks)
        && take_strings(&cursor, end, request->check_count, request->checks) && cursor == end;
}

static void free_request(struct request *request) {
    free(request->filter.filter);
    free(request->argv);
    free(request->envp);
    free(request->masks);
    free(request->checks);
}

/* ---- In the command's child, between clone and execve ---- */

/* Reports "ERRNO STEP" to the init through the close-on-exec pipe and gives up. */
static void fail(int report_fd, const char *step) {
    char buffer[64];
    int length = snprintf(buffer, sizeof buffer, "%d %s", errno, step);
    if (write(report_fd, buffer, (size_t)length) < 0) {}
    _exit(127);
}

/* Tasks (processes and threads) in the sandbox's /proc, all of them in the sandbox's user
   namespace: RLIMIT_NPROC is compared with that namespace's count for the uid, so the command's
   allowance goes on top of it (pie counts the host's tasks for a cold sandbox instead). */
static uint64_t sandbox_tasks(void) {
    DIR *proc = opendir("/proc");
    if (!proc) return 0;
    uint64_t total = 0;
    struct dirent *entry;
    while ((entry = readdir(proc))) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/%s/task", entry->d_name);
        struct stat tasks;
        total += stat(path, &tasks) == 0 && tasks.st_nlink > 2 ? (uint64_t)tasks.st_nlink - 2 : 1;
    }
    closedir(proc);
    return total;
}

/* Binds `source` read-only onto `target`, as bwrap's --ro-bind does for /proc's sensitive parts. */
static int bind_read_only(const char *source, const char *target) {
    if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0) return -1;
    return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* Mounts a fresh tmpfs on `path` with the mode of what it covers and, when `size_bytes` is not
   0, that size cap; bwrap's own flags for a --tmpfs. */
static int fresh_tmpfs(const char *path, uint64_t size_bytes) {
    struct stat covered;
    if (stat(path, &covered) != 0) return -1;
    char options[64];
    if (size_bytes)
        snprintf(options, sizeof options, "mode=0%o,size=%llu", (unsigned)(covered.st_mode & 07777),
            (unsigned long long)size_bytes);
    else
        snprintf(options, sizeof options, "mode=0%o", (unsigned)(covered.st_mode & 07777));
    return mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, options);
}

/* Decodes mountinfo's octal escapes (\040 for a space, …) in place. */
static void unescape_mount_point(char *text) {
    char *out = text;
    for (char *in = text; *in; out++) {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0'
            && in[3] <= '7') {
            *out = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
            in += 4;
        } else {
            *out = *in++;
        }
    }
    *out = '\0';
}

/* Creates `path` and its missing parents inside the fresh /tmp: directories, and the last one a
   directory or (for a file mount) an empty file, as bwrap creates its mount points. */
static int make_mount_point(char *path, int directory) {
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int made = mkdir(path, 0755);
        *slash = '/';
        if (made != 0 && errno != EEXIST) return -1;
    }
    if (directory) return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0444);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

#define MAX_SCRATCH_MOUNTS 256

/* Whether `path` is `root` or lies beneath it. */
static int is_within(const char *path, const char *root) {
    size_t length = strlen(root);
    return strncmp(path, root, length) == 0 && (path[length] == '\0' || path[length] == '/');
}

/* Gives the command a /tmp of its own: the sandbox's roots, protected paths and masks mounted
   beneath /tmp are cloned (each outermost one with everything under it), a fresh tmpfs covers
   /tmp, and the clones are moved onto it at the same paths. The init binary's own bind is left
   behind: commands have no use for it. */
static int fresh_tmp(uint64_t size_bytes) {
    FILE *table = fopen("/proc/self/mountinfo", "re");
    if (!table) return -1;
    static char points[MAX_SCRATCH_MOUNTS][PATH_MAX];
    int count = 0;
    char *line = NULL;
    size_t capacity = 0;
    while (getline(&line, &capacity, table) > 0) {
        char point[PATH_MAX];
        if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1) continue;
        unescape_mount_point(point);
        if (strncmp(point, "/tmp/", 5) != 0 || strcmp(point, PIE_INIT_INSIDE) == 0) continue;
        int known = 0;
        for (int i = 0; i < count && !known; i++) known = is_within(point, points[i]);
        if (known) continue;
        if (count == MAX_SCRATCH_MOUNTS) {
            count = -1;
            errno = E2BIG;
            break;
        }
        /* Mountinfo lists a parent before its children, so an outer mount seen later can only be
           a sibling; drop any inner one recorded before it all the same. */
        int kept = 0;
        for (int i = 0; i < count; i++)
            if (!is_within(points[i], point)) memcpy(points[kept++], points[i], sizeof points[i]);
        count = kept;
        memcpy(points[count++], point, sizeof point);
    }
    free(line);
    fclose(table);
    if (count < 0) return -1;

    int trees[MAX_SCRATCH_MOUNTS];
    int directories[MAX_SCRATCH_MOUNTS];
    for (int i = 0; i < count; i++) {
        trees[i] = open_tree(AT_FDCWD, points[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
        struct stat info;
        if (trees[i] < 0 || fstat(trees[i], &info) != 0) {
            for (int j = 0; j <= i; j++) if (trees[j] >= 0) close(trees[j]);
            return -1;
        }
        directories[i] = S_ISDIR(info.st_mode);
    }
    int result = fresh_tmpfs("/tmp", size_bytes);
    for (int i = 0; i < count; i++) {
        if (result == 0 && make_mount_point(points[i], directories[i]) != 0) result = -1;
        if (result == 0 && move_mount(trees[i], "", AT_FDCWD, points[i], MOVE_MOUNT_F_EMPTY_PATH) != 0) result = -1;
        close(trees[i]);
    }
    return result;
}

/* Masks the placeholder pie created at `path` with a read-only /dev/null. The placeholder is
   opened without following symlinks and checked first, so a swapped-in symlink cannot redirect the
   mask; afterwards the path must resolve to that read-only /dev/null. */
static int mask(const char *path) {
    int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat info;
    if (fstat(fd, &info) != 0) { close(fd); return -1; }
    if (!S_ISREG(info.st_mode) || info.st_size != 0) {
        close(fd);
        errno = EEXIST;
        return -1;
    }
    char through[64];
    snprintf(through, sizeof through, "/proc/self/fd/%d", fd);
    int bound = mount("/dev/null", through, NULL, MS_BIND, NULL);
    close(fd);
    if (bound != 0) return -1;
    if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        return -1;
    struct stat masked, null_device;
    struct statvfs volume;
    if (lstat(path, &masked) != 0 || stat("/dev/null", &null_device) != 0 || statvfs(path, &volume) != 0) return -1;
    if (!S_ISCHR(masked.st_mode) || masked.st_rdev != null_device.st_rdev || !(volume.f_flag & ST_RDONLY)) {
        errno = EXDEV;
        return -1;
    }
    return 0;
}

/* Whether a mount the sandbox was built with still covers `check`'s path. A path replaced on the
   host since (deleted and made anew, possibly with the same inode number) lost its mount here, and
   the sandbox must not serve commands any more. */
static int still_covered(const char *check) {
    const char *path = check + 1;
    if (check[0] == 'n') {
        struct stat masked, null_device;
        return lstat(path, &masked) == 0 && stat("/dev/null", &null_device) == 0 && S_ISCHR(masked.st_mode)
            && masked.st_rdev == null_device.st_rdev;
    }
    struct statvfs volume;
    return check[0] == 'r' && statvfs(path, &volume) == 0 && (volume.f_flag & ST_RDONLY);
}

static int drop_capabilities(void) {
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) return -1;
    for (int capability = 0; capability <= 63; capability++)
        if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    return (int)syscall(SYS_capset, &header, data);
}

static void run_command(const struct request *request, int report_fd) {
    if ((request->flags & PIE_INIT_CGROUP) && write(request->cgroup_fd, "0", 1) != 1) fail(report_fd, "cgroup");
    if (setsid() < 0) fail(report_fd, "setsid");
    uint64_t tasks = sandbox_tasks();
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) fail(report_fd, "mount-namespace");
    if ((request->flags & PIE_INIT_FRESH_TMP) && fresh_tmp(request->scratch_bytes) != 0) fail(report_fd, "tmp");
    if ((request->flags & PIE_INIT_FRESH_SHM) && fresh_tmpfs("/dev/shm", request->scratch_bytes) != 0)
        fail(report_fd, "shm");
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail(report_fd, "proc");
    static const char *const proc_read_only[] = { "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus" };
    for (size_t i = 0; i < sizeof proc_read_only / sizeof *proc_read_only; i++)
        if (access(proc_read_only[i], F_OK) == 0 && bind_read_only(proc_read_only[i], proc_read_only[i]) != 0)
            fail(report_fd, "proc");
    for (uint64_t i = 0; i < request->check_count; i++)
        if (!still_covered(request->checks[i])) {
            errno = ESTALE;
            fail(report_fd, "stale");
        }
    for (uint64_t i = 0; i < request->mask_count; i++)
        if (mask(request->masks[i]) != 0) fail(report_fd, "mask");
    for (uint64_t i = 0; i < request->limit_count; i++)
        if (cpie_lower_limit((int)request->limits[i][0],
                request->limits[i][1] + (request->limits[i][0] == CPIE_LIMIT_NPROC ? tasks : 0)) != 0)
            fail(report_fd, "limit");
    if (chdir(request->cwd) != 0) fail(report_fd, "chdir");
    if (drop_capabilities() != 0) fail(report_fd, "capabilities");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(report_fd, "no-new-privs");

    int input = open("/dev/null", O_RDONLY);
    if (input < 0) fail(report_fd, "stdin");
    if (dup2(input, 0) != 0 || dup2(request->output_fd, 1) != 1 || dup2(request->output_fd, 2) != 2)
        fail(report_fd, "dup2");
    /* Everything else goes, except the close-on-exec report pipe (moved to 3), which exec closes. */
    if (dup3(report_fd, 3, O_CLOEXEC) != 3) fail(report_fd, "dup2");
    report_fd = 3;
    if (syscall(SYS_close_range, 4U, ~0U, 0) != 0) fail(report_fd, "close");

    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    for (int signal = 1; signal < NSIG; signal++) sigaction(signal, &fallback, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* Last before execve, so the filter judges the command and nothing of ours. */
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &request->filter, 0, 0) != 0) fail(report_fd, "seccomp");
    execve(request->argv[0], request->argv, request->envp);
    fail(report_fd, "exec");
}

/* ---- In the init ---- */

static void close_request_fds(struct request *request) {
    close(request->output_fd);
    if (request->flags & PIE_INIT_CGROUP) close(request->cgroup_fd);
}

static void start(struct request *request) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        send_reply(request->reply_fd, PIE_INIT_FAILED, 0, errno, "pipe");
        close(request->reply_fd);
        return;
    }
    if (command_count == MAX_COMMANDS) {
        send_reply(request->reply_fd, PIE_INIT_FAILED, 0, EAGAIN, "too-many");
        close(request->reply_fd);
        close(report[0]);
        close(report[1]);
        return;
    }
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWNS | CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        close(report[0]);
        run_command(request, report[1]);
    }
    int clone_errno = errno;
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        send_reply(request->reply_fd, PIE_INIT_FAILED, 0, clone_errno, "clone");
        close(request->reply_fd);
        return;
    }
    char buffer[64] = { 0 };
    ssize_t length;
    while ((length = read(report[0], buffer, sizeof buffer - 1)) < 0 && errno == EINTR) {}
    close(report[0]);
    if (length > 0) {
        int error = 0;
        char step[32] = { 0 };
        sscanf(buffer, "%d %31s", &error, step);
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        send_reply(request->reply_fd, PIE_INIT_FAILED, 0, error, step);
        close(request->reply_fd);
        return;
    }
    send_reply(request->reply_fd, PIE_INIT_STARTED, pid, 0, NULL);
    commands[command_count++] = (struct command){ pid, request->reply_fd, 0 };
}

/* Receives one request with its descriptors; returns 0 when pie has gone away. */
static int receive(int control, char *message) {
    int fds[3] = { -1, -1, -1 };
    union {
        char buffer[CMSG_SPACE(sizeof fds)];
        struct cmsghdr align;
    } control_data;
    struct iovec vector = { message, MAX_MESSAGE };
    struct msghdr header;
    memset(&header, 0, sizeof header);
    header.msg_iov = &vector;
    header.msg_iovlen = 1;
    header.msg_control = control_data.buffer;
    header.msg_controllen = sizeof control_data.buffer;
    ssize_t length = recvmsg(control, &header, MSG_CMSG_CLOEXEC);
    if (length < 0) return errno == EINTR || errno == EAGAIN;
    if (length == 0) return 0;
    int received = 0;
    for (struct cmsghdr *item = CMSG_FIRSTHDR(&header); item; item = CMSG_NXTHDR(&header, item)) {
        if (item->cmsg_level != SOL_SOCKET || item->cmsg_type != SCM_RIGHTS) continue;
        received = (int)((item->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        if (received > 3) received = 3;
        memcpy(fds, CMSG_DATA(item), (size_t)received * sizeof(int));
    }
    struct request request;
    memset(&request, 0, sizeof request);
    int parsed = !(header.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) && received >= 2
        && parse_request(message, (size_t)length, &request)
        && received == ((request.flags & PIE_INIT_CGROUP) ? 3 : 2);
    if (!parsed) {
        if (fds[0] >= 0) send_reply(fds[0], PIE_INIT_FAILED, 0, EINVAL, "request");
        for (int i = 0; i < received; i++) close(fds[i]);
        free_request(&request);
        return 1;
    }
    request.reply_fd = fds[0];
    request.output_fd = fds[1];
    request.cgroup_fd = fds[2];
    start(&request);
    close_request_fds(&request);
    free_request(&request);
    return 1;
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < command_count; i++) {
            if (commands[i].pid != pid) continue;
            send_reply(commands[i].reply_fd, PIE_INIT_EXITED, status, 0, NULL);
            close(commands[i].reply_fd);
            commands[i] = commands[--command_count];
            break;
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pie-sandbox-init CONTROL_FD (started by pie inside bubblewrap)\n");
        return 2;
    }
    int control = atoi(argv[1]);
    sigset_t children;
    sigemptyset(&children);
    sigaddset(&children, SIGCHLD);
    sigprocmask(SIG_BLOCK, &children, NULL);
    signal(SIGPIPE, SIG_IGN);
    int child_events = signalfd(-1, &children, SFD_CLOEXEC | SFD_NONBLOCK);
    char *message = malloc(MAX_MESSAGE);
    if (child_events < 0 || !message) return 1;

    for (;;) {
        struct pollfd watched[MAX_COMMANDS + 2];
        watched[0] = (struct pollfd){ control, POLLIN, 0 };
        watched[1] = (struct pollfd){ child_events, POLLIN, 0 };
        int watching = 2;
        for (int i = 0; i < command_count; i++)
            if (!commands[i].killed) watched[watching++] = (struct pollfd){ commands[i].reply_fd, POLLIN, 0 };
        if (poll(watched, (nfds_t)watching, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (watched[1].revents) {
            struct signalfd_siginfo info;
            while (read(child_events, &info, sizeof info) > 0) {}
            reap();
        }
        /* pie shut the reply socket (or wrote to it): it wants the command gone. The command is
           PID 1 of its namespace, so SIGKILL to it ends every process it started. */
        for (int i = 2; i < watching; i++) {
            if (!watched[i].revents) continue;
            for (int j = 0; j < command_count; j++) {
                if (commands[j].reply_fd != watched[i].fd) continue;
                kill(commands[j].pid, SIGKILL);
                commands[j].killed = 1;
            }
        }
        if (watched[0].revents && !receive(control, message)) break;
    }
    for (int i = 0; i < command_count; i++) kill(commands[i].pid, SIGKILL);
    return 0;
}
