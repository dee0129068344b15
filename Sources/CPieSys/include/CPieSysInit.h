#ifndef PIE_CPIESYS_INIT_H
#define PIE_CPIESYS_INIT_H
#include <stdint.h>

/* The wire format between pie (PieSandbox/Shell/WarmSandbox.swift) and pie-sandbox-init, the
   long-lived process that runs inside one bubblewrap sandbox and starts each command in it.

   Requests travel on the control socket (SOCK_SEQPACKET, fd 3 of the init), one per message:
     magic "PIE2", then native-endian uint64 fields:
       flags (PIE_INIT_CGROUP: a cgroup.procs descriptor is attached; PIE_INIT_FRESH_TMP,
         PIE_INIT_FRESH_SHM: the command gets a fresh /tmp, /dev/shm, where the plan made them
         private tmpfs and no root is bound over them)
       scratch_bytes: the size cap of those fresh tmpfs (0: no cap)
       limit_count, then limit_count pairs (CPIE_LIMIT_* code, value; for CPIE_LIMIT_NPROC the
         allowance on top of the tasks already in the sandbox)
       filter_bytes, then the seccomp program (struct sock_filter[], filter_bytes / 8 entries)
       argc, envc, maskc, checkc
     then NUL-terminated strings: cwd, argv[argc], envp[envc], masks[maskc], checks[checkc]
     (a check is "r" or "n" and a path: a mount of the sandbox's plan that must still be there,
     read-only, or a /dev/null mask).
   Attached descriptors (SCM_RIGHTS), in order: the reply socket, the output pipe's write end, and
   the cgroup.procs descriptor when flagged.

   Replies travel on the request's own reply socket as struct pie_init_reply messages: STARTED
   (or FAILED with the step and errno), then EXITED with the wait status. Shutting down or closing
   the reply socket asks the init to kill the command, whose PID namespace takes every process it
   started along. */

#define PIE_INIT_MAGIC "PIE2"
/* Where bwrap binds the init binary inside the sandbox (under the private /tmp, which bwrap mounts
   before the binds, so the binary stays reachable whatever the host's root shows). */
#define PIE_INIT_INSIDE "/tmp/.pie-sandbox-init"
#define PIE_INIT_CGROUP 1u
#define PIE_INIT_FRESH_TMP 2u
#define PIE_INIT_FRESH_SHM 4u

#define PIE_INIT_STARTED 1
#define PIE_INIT_FAILED 2
#define PIE_INIT_EXITED 3

struct pie_init_reply {
    int32_t kind;
    /* STARTED: the command's pid inside the sandbox; EXITED: the wait status. */
    int32_t value;
    /* FAILED: errno of the failed step. */
    int32_t error;
    /* FAILED: the step that failed ("mask", "proc", "seccomp", "exec", …), NUL-terminated. */
    char step[20];
};

#endif
