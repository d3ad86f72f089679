/*
 * Address to function name through the generated table (kernel/ksyms.h): a binary search over
 * the sorted start addresses, then a check that the address lies inside the function found.
 */
#include "ksyms.h"

#include <lib/format.h>

const char *ksyms_lookup(uint32_t address, uint32_t *offset)
{
    uint32_t low = 0, high = ksyms_count; /* the answer is the last start <= address */
    while (low < high) {
        uint32_t middle = low + (high - low) / 2;
        if (ksyms_addresses[middle] <= address) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    if (low == 0) {
        return NULL;
    }
    uint32_t i = low - 1;
    uint32_t size = ksyms_sizes[i] ? ksyms_sizes[i] : 1;
    if (address - ksyms_addresses[i] >= size) {
        return NULL;
    }
    *offset = address - ksyms_addresses[i];
    return ksyms_names + ksyms_name_offsets[i];
}

const char *ksyms_describe(uint32_t address, char out[KSYMS_TEXT_SIZE])
{
    uint32_t offset;
    const char *name = ksyms_lookup(address, &offset);
    out[0] = '\0';
    if (name) {
        format_snprintf(out, KSYMS_TEXT_SIZE, " <%.64s+0x%x>", name, offset);
    }
    return out;
}
