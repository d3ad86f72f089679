/* The generated table of calls (tools/ringlet/fuzzgen.py from abi/syscall_args.tbl). */
#include "fuzz.h"

#include <abi/syscall_numbers.h>

#include <fuzz/syscall_table.h>

const struct fuzz_call *const fuzz_call_table = fuzz_calls;
const unsigned fuzz_call_count = sizeof(fuzz_calls) / sizeof(fuzz_calls[0]);
