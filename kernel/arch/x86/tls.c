/*
 * Thread-local storage the way Linux gives it to i386 programs: set_thread_area(2) and
 * get_thread_area(2) fill and read three GDT entries per process (6, 7 and 8), which the
 * scheduler writes into the GDT every time the process runs (arch_tls_load). A libc asks for a
 * free entry (entry_number -1), gets its number back and loads %gs with it itself; musl and
 * glibc then reach their thread block through %gs.
 *
 * The checks, the order and the errno values are Linux's (arch/x86/kernel/tls.c): a bad
 * pointer is -EFAULT, a descriptor that is not a present 32-bit data segment is -EINVAL (unless
 * it is one of the two ways of writing "empty", which clears the entry), no free entry is
 * -ESRCH, an entry number outside 6..8 is -EINVAL.
 */
#include <arch.h>
#include <syscall.h>
#include <proc.h>
#include <uaccess.h>

#include <abi/errno.h>

#include <arch/segments.h>

#include "gdt.h"

/* Linux's struct user_desc (asm/ldt.h): 16 bytes, the flags packed into the last word. */
struct user_desc {
    uint32_t entry_number;
    uint32_t base_addr;
    uint32_t limit;
    uint32_t flags;
};
_Static_assert(sizeof(struct user_desc) == 16, "struct user_desc is 16 bytes");
_Static_assert(sizeof(((struct arch_tls *)0)->descriptors) == TLS_ENTRIES * 8, "three entries");

#define UD_SEG_32BIT       0x01u
#define UD_CONTENTS_SHIFT  1 /* two bits: 0 data, 1 expand-down data, 2 code */
#define UD_READ_EXEC_ONLY  0x08u
#define UD_LIMIT_IN_PAGES  0x10u
#define UD_SEG_NOT_PRESENT 0x20u
#define UD_USEABLE         0x40u
#define UD_FLAG_BITS       0x7fu

static unsigned contents(const struct user_desc *u)
{
    return (u->flags >> UD_CONTENTS_SHIFT) & 3u;
}

/* Linux's LDT_empty: read-exec-only and not present, nothing else set. */
static bool is_empty(const struct user_desc *u)
{
    return u->base_addr == 0 && u->limit == 0 &&
           (u->flags & UD_FLAG_BITS) == (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT);
}

/* Linux's LDT_zero: every field 0. */
static bool is_zero(const struct user_desc *u)
{
    return u->base_addr == 0 && u->limit == 0 && (u->flags & UD_FLAG_BITS) == 0;
}

static bool descriptor_ok(const struct user_desc *u)
{
    if (is_empty(u) || is_zero(u)) {
        return true;
    }
    return (u->flags & UD_SEG_32BIT) && contents(u) <= 1 && !(u->flags & UD_SEG_NOT_PRESENT);
}

/* The GDT descriptor for u: a ring-3 data segment (Linux's fill_ldt), or 0 for "empty". */
static uint64_t descriptor_of(const struct user_desc *u)
{
    if (is_empty(u) || is_zero(u)) {
        return 0;
    }
    uint32_t base = u->base_addr;
    uint32_t limit = u->limit;
    uint32_t type = ((u->flags & UD_READ_EXEC_ONLY) ? 0u : 2u) | contents(u) << 2 | 1u;
    uint32_t low = (base & 0xffffu) << 16 | (limit & 0xffffu);
    uint32_t high = (base & 0xff000000u) | ((base >> 16) & 0xffu) | (limit & 0xf0000u) | type << 8 |
                    1u << 12 /* code or data */ | 3u << 13 /* DPL 3 */ |
                    ((u->flags & UD_SEG_NOT_PRESENT) ? 0u : 1u << 15) |
                    ((u->flags & UD_USEABLE) ? 1u << 20 : 0u) |
                    ((u->flags & UD_SEG_32BIT) ? 1u << 22 : 0u) |
                    ((u->flags & UD_LIMIT_IN_PAGES) ? 1u << 23 : 0u);
    return (uint64_t)high << 32 | low;
}

/* The inverse, for get_thread_area: the fields a descriptor holds. */
static void user_desc_of(uint64_t d, uint32_t entry, struct user_desc *u)
{
    uint32_t low = (uint32_t)d;
    uint32_t high = (uint32_t)(d >> 32);
    u->entry_number = entry;
    if (d == 0) {
        u->base_addr = 0;
        u->limit = 0;
        u->flags = UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT; /* what Linux reports for empty */
        return;
    }
    u->base_addr = (high & 0xff000000u) | (high & 0xffu) << 16 | low >> 16;
    u->limit = (high & 0xf0000u) | (low & 0xffffu);
    uint32_t type = (high >> 8) & 0xfu;
    u->flags =
        ((high >> 22) & 1u ? UD_SEG_32BIT : 0u) | ((type >> 2) & 3u) << UD_CONTENTS_SHIFT |
        ((type & 2u) ? 0u : UD_READ_EXEC_ONLY) | ((high >> 23) & 1u ? UD_LIMIT_IN_PAGES : 0u) |
        ((high >> 15) & 1u ? 0u : UD_SEG_NOT_PRESENT) | ((high >> 20) & 1u ? UD_USEABLE : 0u);
}

void arch_tls_load(const struct arch_tls *tls)
{
    gdt_set_tls(tls->descriptors);
}

/* Linux's do_set_thread_area: fills an entry of tls from user_info; may pick a free one. */
static long set_area(struct arch_tls *tls, uint32_t user_info, bool can_allocate)
{
    struct user_desc u;
    if (copy_from_user(&u, user_info, sizeof(u)) != 0) {
        return -EFAULT;
    }
    if (!descriptor_ok(&u)) {
        return -EINVAL;
    }
    uint64_t *slots = tls->descriptors;
    uint32_t entry = u.entry_number;
    if (entry == 0xffffffffu && can_allocate) {
        for (entry = TLS_FIRST_ENTRY; entry < TLS_FIRST_ENTRY + TLS_ENTRIES; entry++) {
            if (slots[entry - TLS_FIRST_ENTRY] == 0) {
                break;
            }
        }
        if (entry == TLS_FIRST_ENTRY + TLS_ENTRIES) {
            return -ESRCH;
        }
        if (copy_to_user(user_info, &entry, sizeof(entry)) != 0) {
            return -EFAULT;
        }
    }
    if (entry < TLS_FIRST_ENTRY || entry >= TLS_FIRST_ENTRY + TLS_ENTRIES) {
        return -EINVAL;
    }
    slots[entry - TLS_FIRST_ENTRY] = descriptor_of(&u);
    return 0;
}

long sys_set_thread_area(uint32_t user_info)
{
    long err = set_area(&current->tls, user_info, true);
    if (err == 0) {
        arch_tls_load(&current->tls);
    }
    return err;
}

long arch_tls_from_user(struct arch_tls *tls, uint32_t user_info)
{
    return set_area(tls, user_info, false);
}

long sys_get_thread_area(uint32_t user_info)
{
    uint32_t entry;
    if (copy_from_user(&entry, user_info, sizeof(entry)) != 0) {
        return -EFAULT;
    }
    if (entry < TLS_FIRST_ENTRY || entry >= TLS_FIRST_ENTRY + TLS_ENTRIES) {
        return -EINVAL;
    }
    struct user_desc u;
    user_desc_of(current->tls.descriptors[entry - TLS_FIRST_ENTRY], entry, &u);
    return copy_to_user(user_info, &u, sizeof(u));
}
