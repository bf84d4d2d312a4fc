#ifndef CCPUID_H
#define CCPUID_H

#include <stdint.h>

/// The raw cpuid and xgetbv words the engine chooses its compute paths from.
/// This target is compiled for baseline x86-64 (no -target-cpu), so it runs on any CPU.
typedef struct {
    char vendor[13];      /* "GenuineIntel", "AuthenticAMD", ... */
    char brand[49];       /* the processor brand string (leaves 0x80000002-4) */
    uint32_t family;      /* display family (base + extended) */
    uint32_t model;       /* display model (base + extended) */
    uint32_t leaf1_ecx;   /* fma bit 12, osxsave bit 27, avx bit 28 */
    uint32_t leaf7_ebx;   /* avx2 bit 5, avx512f 16, avx512dq 17, avx512bw 30, avx512vl 31 */
    uint32_t leaf7_ecx;
    uint64_t xcr0;        /* state the OS saves: bits 1-2 xmm/ymm, 5-7 opmask/zmm; 0 without osxsave */
} ccpuid_words;

/// Reads the words of the CPU this process runs on.
void ccpuid_read(ccpuid_words *out);

/// Whether the CPU and the OS run AVX2 and FMA code (the engine's baseline).
int ccpuid_has_avx2_fma(void);

/// Exits with a clear message on stderr (status 3) when the CPU lacks AVX2/FMA: called
/// first thing by the executables, before any code built with -target-cpu haswell runs.
void ccpuid_require_avx2_fma(const char *program);

/// The spin-wait hint (x86 pause): the engine's worker threads wait for the next batch in a
/// short spin loop, and this keeps that loop from flooding the pipeline and the memory bus.
static inline void ccpuid_spin_pause(void) { __builtin_ia32_pause(); }

#endif
