/*
 * The C++ runtime a freestanding program needs: operator new and delete on malloc and free,
 * and __cxa_pure_virtual. Global constructors run from .init_array (start.c) and register their
 * destructors with __cxa_atexit (exit.c); -fno-exceptions, -fno-rtti and
 * -fno-threadsafe-statics leave nothing else for the compiler to call.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Without exceptions operator new cannot throw, so running out of memory ends the program. */
static void *allocate(size_t size)
{
    void *p = malloc(size == 0 ? 1 : size);
    if (p == NULL) {
        dprintf(STDERR_FILENO, "operator new: out of memory (%lu bytes)\n", (unsigned long)size);
        abort();
    }
    return p;
}

/* Returns size bytes from malloc; aborts when memory runs out. */
void *operator new(size_t size)
{
    return allocate(size);
}

/* Returns size bytes from malloc; aborts when memory runs out. */
void *operator new[](size_t size)
{
    return allocate(size);
}

/* Frees p (from operator new); NULL is ignored. */
void operator delete(void *p) noexcept
{
    free(p);
}

/* Frees p (from operator new[]); NULL is ignored. */
void operator delete[](void *p) noexcept
{
    free(p);
}

/* The sized forms C++14 calls when the size is known; malloc keeps sizes itself. */
void operator delete(void *p, size_t) noexcept
{
    free(p);
}

void operator delete[](void *p, size_t) noexcept
{
    free(p);
}

/* Fills the vtable slots of pure virtual functions; reached only through a bug. Never returns. */
extern "C" void __cxa_pure_virtual()
{
    dprintf(STDERR_FILENO, "__cxa_pure_virtual: pure virtual function called\n");
    abort();
}
