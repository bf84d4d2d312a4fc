#include "ccpuid.h"

#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    /* xgetbv with ecx = 0, as bytes so no -mxsave is needed. */
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

void ccpuid_read(ccpuid_words *out) {
    memset(out, 0, sizeof *out);
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    unsigned max_leaf = a;
    memcpy(out->vendor, &b, 4);
    memcpy(out->vendor + 4, &d, 4);
    memcpy(out->vendor + 8, &c, 4);
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        unsigned base_family = (a >> 8) & 0xf, base_model = (a >> 4) & 0xf;
        out->family = base_family + (base_family == 0xf ? (a >> 20) & 0xff : 0);
        out->model = base_model | ((base_family == 0x6 || base_family == 0xf) ? ((a >> 16) & 0xf) << 4 : 0);
        out->leaf1_ecx = c;
        if (c & (1u << 27)) out->xcr0 = read_xcr0();
    }
    if (max_leaf >= 7 && __get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        out->leaf7_ebx = b;
        out->leaf7_ecx = c;
    }
    if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000004) {
        unsigned *brand = (unsigned *)out->brand;
        for (unsigned leaf = 0; leaf < 3; leaf++) {
            __get_cpuid(0x80000002 + leaf, &brand[4 * leaf], &brand[4 * leaf + 1], &brand[4 * leaf + 2], &brand[4 * leaf + 3]);
        }
        out->brand[48] = 0;
    }
}

int ccpuid_has_avx2_fma(void) {
    ccpuid_words w;
    ccpuid_read(&w);
    int avx = (w.leaf1_ecx >> 28) & 1, fma = (w.leaf1_ecx >> 12) & 1, avx2 = (w.leaf7_ebx >> 5) & 1;
    int ymm_saved = (w.xcr0 & 0x6) == 0x6;
    return avx && fma && avx2 && ymm_saved;
}

void ccpuid_require_avx2_fma(const char *program) {
    if (ccpuid_has_avx2_fma()) return;
    ccpuid_words w;
    ccpuid_read(&w);
    fprintf(stderr,
            "%s: this CPU (%s) does not run AVX2 and FMA instructions, which the convnet engine needs:\n"
            "an x86-64 CPU from 2013 on (Intel Haswell, AMD Zen or later) is required.\n",
            program, w.brand[0] ? w.brand : w.vendor);
    exit(3);
}
