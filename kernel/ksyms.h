#pragma once
/*
 * The kernel's own symbol table, so a panic names functions on any machine (kallsyms-style).
 * tools/ringlet/ksyms.py writes the arrays from a first link's function list; the Makefile
 * links the kernel again with them (docs/debugging.md).
 */
#include <stddef.h>
#include <stdint.h>

/* Generated: ksyms_count functions sorted by address, each with its size and its name at
 * ksyms_names + ksyms_name_offsets[i]. The first link has ksyms_count == 0. */
extern const uint32_t ksyms_count;
extern const uint32_t ksyms_addresses[];
extern const uint32_t ksyms_sizes[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];

/* Room for " <name+0xoffset>" with a name cut at 64 characters. */
#define KSYMS_TEXT_SIZE 84

/*
 * The name of the function whose code holds address, and *offset the distance from its start;
 * NULL when no function holds it (user addresses, data, the first link).
 */
const char *ksyms_lookup(uint32_t address, uint32_t *offset);

/*
 * Writes " <name+0xoffset>" for address into out (KSYMS_TEXT_SIZE bytes), or "" when no
 * function holds it: the same annotation `./ringlet symbolize` adds on the host, which leaves
 * an address that already has one alone.
 */
const char *ksyms_describe(uint32_t address, char out[KSYMS_TEXT_SIZE]);
