#include <random.h>

#include <arch.h>
#include <clock.h>
#include <uaccess.h>

#include <abi/errno.h>

static uint64_t state;
static int seeded;

static void seed(void)
{
    uint32_t hw[2];
    if (arch_hw_random(&hw[0]) && arch_hw_random(&hw[1])) {
        state = (uint64_t)hw[0] << 32 | hw[1];
    } else {
        state = arch_cycle_counter() ^ ((uint64_t)clock_boot_realtime() << 32);
    }
    seeded = 1;
}

long random_to_user(uint32_t user_buf, uint32_t count)
{
    if (!seeded) {
        seed();
    }
    state ^= arch_cycle_counter();
    uint8_t chunk[256];
    uint32_t done = 0;
    while (done < count) {
        uint32_t n = count - done < sizeof(chunk) ? count - done : (uint32_t)sizeof(chunk);
        for (uint32_t i = 0; i < n; i++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            chunk[i] = (uint8_t)((state ^ (state >> 22)) >> 32);
        }
        if (copy_to_user(user_buf + done, chunk, n) != 0) {
            return done ? (long)done : -EFAULT;
        }
        done += n;
    }
    return (long)done;
}
