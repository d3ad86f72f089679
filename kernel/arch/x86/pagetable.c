#include <arch/pagetable.h>

uint32_t *pt_walk(const struct pt_memory *mem, uint32_t pgdir_phys, uint32_t va, bool create)
{
    uint32_t *pgdir = mem->table(mem->ctx, pgdir_phys);
    uint32_t pde = pgdir[PDX(va)];
    if (pde & PTE_PRESENT) {
        if (pde & PTE_LARGE) {
            return NULL;
        }
    } else {
        if (!create) {
            return NULL;
        }
        uint32_t table = mem->alloc_table(mem->ctx);
        if (table == 0) {
            return NULL;
        }
        pde = table | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
        pgdir[PDX(va)] = pde;
    }
    return &mem->table(mem->ctx, pde & PTE_ADDRESS)[PTX(va)];
}

bool pt_user_range_ok(const struct pt_memory *mem, uint32_t pgdir_phys, uint32_t va, uint32_t len,
                      bool write, uint32_t user_top)
{
    if (va < 0x1000u || va > user_top || len > user_top - va) {
        return false; /* the NULL page, the kernel half, or a range that wraps */
    }
    if (len == 0) {
        return true;
    }
    uint32_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITABLE : 0);
    uint32_t last = va + (len - 1);
    for (uint32_t page = va & PTE_ADDRESS;; page += 0x1000u) {
        const uint32_t *pte = pt_walk(mem, pgdir_phys, page, false);
        if (pte == NULL || (*pte & need) != need) {
            return false;
        }
        if (page == (last & PTE_ADDRESS)) {
            return true;
        }
    }
}
