#pragma once

/*
 * In-kernel benchmarks. Booting with kbench=GLOB runs the matching cases and prints one line each:
 *     kbench: NAME: ITERATIONS iterations, N instructions/op
 * Run them under QEMU's -icount shift=0,sleep=off, where the cycle counter counts instructions.
 */
void kbench_run(const char *glob);
