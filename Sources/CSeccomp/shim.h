#ifndef PIE_CSECCOMP_SHIM_H
#define PIE_CSECCOMP_SHIM_H
#include <seccomp.h>

/* libseccomp's actions and argument comparators are function-like macros, which Swift does not import. */
static inline uint32_t cseccomp_act_errno(uint16_t err) { return SCMP_ACT_ERRNO(err); }
static inline uint32_t cseccomp_act_allow(void) { return SCMP_ACT_ALLOW; }
static inline uint32_t cseccomp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t cseccomp_act_trap(void) { return SCMP_ACT_TRAP; }

/* One comparison on syscall argument `arg` (0-based). `mask` is used only by SCMP_CMP_MASKED_EQ. */
static inline struct scmp_arg_cmp cseccomp_arg(unsigned int arg, enum scmp_compare op, uint64_t datum_a,
                                               uint64_t datum_b) {
    struct scmp_arg_cmp cmp = { arg, op, datum_a, datum_b };
    return cmp;
}
#endif
