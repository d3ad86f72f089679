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
