/* libFuzzer on the ustar reader (kernel/lib/tar.c): every entry's data must lie inside the
 * archive, its names must be terminated, and the walk must end. */
#include <lib/tar.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char *archive = exact_copy(data, size);
    struct tar_iter it;
    struct tar_entry e;
    tar_iter_init(&it, archive, size);
    int r;
    unsigned entries = 0;
    while ((r = tar_next(&it, &e)) == 1) {
        CHECK(++entries <= size / 512);
        CHECK(memchr(e.path, 0, sizeof(e.path)) != NULL);
        CHECK(memchr(e.link, 0, sizeof(e.link)) != NULL);
        CHECK(e.size == 0 || inside(e.data, e.size, archive, size));
        CHECK(e.mode <= 07777);
    }
    CHECK(r == 0 || (r == -1 && it.error[0] != 0 && memchr(it.error, 0, TAR_ERROR_SIZE)));
    free(archive);
    return 0;
}
