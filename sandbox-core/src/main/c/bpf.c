#include "bpf.h"

#include <string.h>

#define MEMWORDS 16 /* BPF_MEMWORDS */

/* An aligned 32-bit word of seccomp_data, as seccomp's BPF_LD|BPF_W|BPF_ABS reads it. */
static int load_word(const struct seccomp_data *d, uint32_t off, uint32_t *out)
{
    if (off >= sizeof *d || (off & 3) != 0) {
        return -1;
    }
    memcpy(out, (const char *)d + off, 4);
    return 0;
}

uint32_t bpf_run(const void *prog, size_t len, const struct seccomp_data *d)
{
    uint32_t a = 0, x = 0, mem[MEMWORDS];
    memset(mem, 0, sizeof mem);
    size_t pc = 0;
    while (pc < len) {
        struct sock_filter insn;
        memcpy(&insn, (const char *)prog + pc * sizeof insn, sizeof insn);
        const struct sock_filter *f = &insn;
        uint32_t k = f->k;
        size_t next = pc + 1;
        switch (f->code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (load_word(d, k, &a) < 0) return SECCOMP_RET_KILL_PROCESS;
            break;
        case BPF_LD | BPF_W | BPF_LEN: a = sizeof *d; break;
        case BPF_LDX | BPF_W | BPF_LEN: x = sizeof *d; break;
        case BPF_LD | BPF_IMM: a = k; break;
        case BPF_LDX | BPF_IMM: x = k; break;
        case BPF_LD | BPF_MEM:
            if (k >= MEMWORDS) return SECCOMP_RET_KILL_PROCESS;
            a = mem[k];
            break;
        case BPF_LDX | BPF_MEM:
            if (k >= MEMWORDS) return SECCOMP_RET_KILL_PROCESS;
            x = mem[k];
            break;
        case BPF_ST:
            if (k >= MEMWORDS) return SECCOMP_RET_KILL_PROCESS;
            mem[k] = a;
            break;
        case BPF_STX:
            if (k >= MEMWORDS) return SECCOMP_RET_KILL_PROCESS;
            mem[k] = x;
            break;
        case BPF_MISC | BPF_TAX: x = a; break;
        case BPF_MISC | BPF_TXA: a = x; break;
        case BPF_ALU | BPF_NEG: a = -a; break;
        case BPF_ALU | BPF_ADD | BPF_K: a += k; break;
        case BPF_ALU | BPF_ADD | BPF_X: a += x; break;
        case BPF_ALU | BPF_SUB | BPF_K: a -= k; break;
        case BPF_ALU | BPF_SUB | BPF_X: a -= x; break;
        case BPF_ALU | BPF_MUL | BPF_K: a *= k; break;
        case BPF_ALU | BPF_MUL | BPF_X: a *= x; break;
        case BPF_ALU | BPF_DIV | BPF_K:
        case BPF_ALU | BPF_DIV | BPF_X: {
            uint32_t v = BPF_SRC(f->code) == BPF_X ? x : k;
            if (v == 0) return SECCOMP_RET_KILL_THREAD; /* classic BPF ends with 0 on a run-time division by zero */
            a /= v;
            break;
        }
        case BPF_ALU | BPF_AND | BPF_K: a &= k; break;
        case BPF_ALU | BPF_AND | BPF_X: a &= x; break;
        case BPF_ALU | BPF_OR | BPF_K: a |= k; break;
        case BPF_ALU | BPF_OR | BPF_X: a |= x; break;
        case BPF_ALU | BPF_XOR | BPF_K: a ^= k; break;
        case BPF_ALU | BPF_XOR | BPF_X: a ^= x; break;
        case BPF_ALU | BPF_LSH | BPF_K:
        case BPF_ALU | BPF_LSH | BPF_X:
        case BPF_ALU | BPF_RSH | BPF_K:
        case BPF_ALU | BPF_RSH | BPF_X: {
            /* The loader refuses a constant of 32 or more; X is masked as the kernel's BPF interpreter
               does for 32-bit shifts (kernel/bpf/core.c: DST = (u32) DST << ((u32) SRC & 31)). */
            uint32_t v = (BPF_SRC(f->code) == BPF_X ? x : k) & 31;
            a = BPF_OP(f->code) == BPF_LSH ? a << v : a >> v;
            break;
        }
        case BPF_RET | BPF_K: return k;
        case BPF_RET | BPF_A: return a;
        case BPF_JMP | BPF_JA:
            if (k >= len - pc - 1) return SECCOMP_RET_KILL_PROCESS;
            next = pc + 1 + k;
            break;
        case BPF_JMP | BPF_JEQ | BPF_K:
        case BPF_JMP | BPF_JEQ | BPF_X:
        case BPF_JMP | BPF_JGT | BPF_K:
        case BPF_JMP | BPF_JGT | BPF_X:
        case BPF_JMP | BPF_JGE | BPF_K:
        case BPF_JMP | BPF_JGE | BPF_X:
        case BPF_JMP | BPF_JSET | BPF_K:
        case BPF_JMP | BPF_JSET | BPF_X: {
            uint32_t v = BPF_SRC(f->code) == BPF_X ? x : k;
            int taken;
            switch (BPF_OP(f->code)) {
            case BPF_JEQ: taken = a == v; break;
            case BPF_JGT: taken = a > v; break;
            case BPF_JGE: taken = a >= v; break;
            default: taken = (a & v) != 0; break;
            }
            next = pc + 1 + (taken ? f->jt : f->jf);
            break;
        }
        default:
            return SECCOMP_RET_KILL_PROCESS;
        }
        pc = next;
    }
    return SECCOMP_RET_KILL_PROCESS;
}
