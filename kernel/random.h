#pragma once
/*
 * The kernel's random bytes (getrandom, /dev/urandom, /dev/random): a PCG-style generator
 * seeded from the CPU's RDRAND where it has one, else the cycle counter and the real-time
 * clock, and stirred with the cycle counter on every call. Not cryptographic: Ringlet gathers
 * no entropy. Good for hash seeds, malloc's randomization and mktemp names, not for keys.
 */
#include <stdint.h>

/* Writes count random bytes to user memory. Returns count, the bytes written before a fault,
 * or -EFAULT. */
long random_to_user(uint32_t user_buf, uint32_t count);
