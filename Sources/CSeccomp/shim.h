#ifndef PIE_CSECCOMP_SHIM_H
#define PIE_CSECCOMP_SHIM_H
#include <seccomp.h>

/* libseccomp's actions are function-like macros, which Swift does not import. */
static inline uint32_t cseccomp_act_errno(uint16_t err) { return SCMP_ACT_ERRNO(err); }
static inline uint32_t cseccomp_act_allow(void) { return SCMP_ACT_ALLOW; }
static inline uint32_t cseccomp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t cseccomp_act_trap(void) { return SCMP_ACT_TRAP; }
#endif
