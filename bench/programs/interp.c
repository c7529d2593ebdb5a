/*
 * interp — CPU-bound benchmark: a small register bytecode interpreter.
 *
 * Usage: interp [LIMIT]     (default 100000)
 * The interpreter runs a bytecode program that, for every n in 1..LIMIT,
 * follows the Collatz sequence down to 1, counting steps and tracking the
 * highest value seen.  The dispatch loop is a switch over opcodes with many
 * data-dependent branches, which is what this benchmark is meant to stress.
 * stdout: "interp limit=N steps=S peak=P instructions=I"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op {
    OP_LOADI, /* r[a] = imm                   */
    OP_MOV,   /* r[a] = r[b]                  */
    OP_ADDI,  /* r[a] += imm                  */
    OP_MULI,  /* r[a] *= imm                  */
    OP_SHRI,  /* r[a] >>= imm                 */
    OP_ANDI,  /* r[a] = r[b] & imm            */
    OP_JMP,   /* pc = imm                     */
    OP_JZ,    /* if r[a] == 0: pc = imm       */
    OP_JEQI,  /* if r[a] == r[b]: pc = imm    */
    OP_JGT,   /* if r[a] > r[b]: pc = imm     */
    OP_JLE,   /* if r[a] <= r[b]: pc = imm    */
    OP_HALT,
};

struct insn { uint8_t op, a, b; int64_t imm; };

/* Registers: r0 = n, r1 = limit, r2 = steps, r3 = x, r4 = scratch,
 *            r5 = peak, r6 = constant 1 */
static const struct insn program[] = {
    /*  0 */ { OP_LOADI, 0, 0, 1 },       /* n = 1                        */
    /*  1 */ { OP_LOADI, 2, 0, 0 },       /* steps = 0                    */
    /*  2 */ { OP_LOADI, 5, 0, 0 },       /* peak = 0                     */
    /*  3 */ { OP_LOADI, 6, 0, 1 },       /* one = 1                      */
    /*  4 */ { OP_JGT, 0, 1, 19 },        /* outer: if n > limit: halt    */
    /*  5 */ { OP_MOV, 3, 0, 0 },         /* x = n                        */
    /*  6 */ { OP_JEQI, 3, 6, 17 },       /* inner: if x == 1: next n     */
    /*  7 */ { OP_ANDI, 4, 3, 1 },        /* t = x & 1                    */
    /*  8 */ { OP_JZ, 4, 0, 12 },         /* if even goto even            */
    /*  9 */ { OP_MULI, 3, 0, 3 },        /* x = 3x                       */
    /* 10 */ { OP_ADDI, 3, 0, 1 },        /*   + 1                        */
    /* 11 */ { OP_JMP, 0, 0, 13 },
    /* 12 */ { OP_SHRI, 3, 0, 1 },        /* even: x >>= 1                */
    /* 13 */ { OP_ADDI, 2, 0, 1 },        /* steps++                      */
    /* 14 */ { OP_JLE, 3, 5, 6 },         /* if x <= peak: goto inner     */
    /* 15 */ { OP_MOV, 5, 3, 0 },         /* peak = x                     */
    /* 16 */ { OP_JMP, 0, 0, 6 },
    /* 17 */ { OP_ADDI, 0, 0, 1 },        /* next: n++                    */
    /* 18 */ { OP_JMP, 0, 0, 4 },
    /* 19 */ { OP_HALT, 0, 0, 0 },
};

static uint64_t run(const struct insn *code, uint64_t *r, uint64_t *executed) {
    uint64_t count = 0;
    size_t pc = 0;
    for (;;) {
        const struct insn *i = &code[pc++];
        count++;
        switch (i->op) {
        case OP_LOADI: r[i->a] = (uint64_t)i->imm; break;
        case OP_MOV:   r[i->a] = r[i->b]; break;
        case OP_ADDI:  r[i->a] += (uint64_t)i->imm; break;
        case OP_MULI:  r[i->a] *= (uint64_t)i->imm; break;
        case OP_SHRI:  r[i->a] >>= i->imm; break;
        case OP_ANDI:  r[i->a] = r[i->b] & (uint64_t)i->imm; break;
        case OP_JMP:   pc = (size_t)i->imm; break;
        case OP_JZ:    if (r[i->a] == 0) pc = (size_t)i->imm; break;
        case OP_JEQI:  if (r[i->a] == r[i->b]) pc = (size_t)i->imm; break;
        case OP_JGT:   if (r[i->a] > r[i->b]) pc = (size_t)i->imm; break;
        case OP_JLE:   if (r[i->a] <= r[i->b]) pc = (size_t)i->imm; break;
        case OP_HALT:  *executed = count; return r[2];
        default:       fprintf(stderr, "bad opcode %d at %zu\n", i->op, pc - 1); exit(2);
        }
    }
}

int main(int argc, char **argv) {
    long limit = argc > 1 ? atol(argv[1]) : 100000;
    uint64_t r[8] = { 0 };
    r[1] = (uint64_t)limit;
    uint64_t executed = 0;
    uint64_t steps = run(program, r, &executed);
    printf("interp limit=%ld steps=%llu peak=%llu instructions=%llu\n", limit,
           (unsigned long long)steps, (unsigned long long)r[5], (unsigned long long)executed);
    return 0;
}
