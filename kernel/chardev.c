#include <chardev.h>

#include <kprintf.h>
#include <random.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/stat.h>

#define NULL_DEV    DEVICE_NUMBER(1, 3)
#define ZERO_DEV    DEVICE_NUMBER(1, 5)
#define FULL_DEV    DEVICE_NUMBER(1, 7)
#define RANDOM_DEV  DEVICE_NUMBER(1, 8)
#define URANDOM_DEV DEVICE_NUMBER(1, 9)
#define TTY_DEV     DEVICE_NUMBER(5, 0)
#define CONSOLE_DEV DEVICE_NUMBER(5, 1)
#define TTYS0_DEV   DEVICE_NUMBER(4, 64)

static const struct {
    const char *name;
    uint32_t rdev;
    uint32_t mode;
} devices[] = {
    { "null", NULL_DEV, 0666 },       { "zero", ZERO_DEV, 0666 },       { "full", FULL_DEV, 0666 },
    { "random", RANDOM_DEV, 0666 },   { "urandom", URANDOM_DEV, 0666 }, { "tty", TTY_DEV, 0666 },
    { "console", CONSOLE_DEV, 0600 }, { "ttyS0", TTYS0_DEV, 0660 },
};

void chardev_populate(struct inode *dir)
{
    for (unsigned i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
        struct inode *node;
        if (dir->ops->create(dir, devices[i].name, S_IFCHR | devices[i].mode, devices[i].rdev, NULL,
                             &node) != 0) {
            kprintf("dev: no memory for /dev/%s\n", devices[i].name);
            continue;
        }
        inode_put(node);
    }
}

long chardev_open(struct inode *node, struct file *f)
{
    switch (node->rdev) {
    case TTY_DEV:
    case CONSOLE_DEV:
    case TTYS0_DEV:
        f->type = FILE_CONSOLE;
        return 0;
    case NULL_DEV:
    case ZERO_DEV:
    case FULL_DEV:
    case RANDOM_DEV:
    case URANDOM_DEV:
        f->type = FILE_DEVICE;
        return 0;
    default:
        return -ENXIO;
    }
}

static const uint8_t zeros[256];

static long read_zeros(uint32_t user_buf, uint32_t n)
{
    for (uint32_t done = 0; done < n;) {
        uint32_t run = n - done < sizeof(zeros) ? n - done : (uint32_t)sizeof(zeros);
        if (copy_to_user(user_buf + done, zeros, run) != 0) {
            return done ? (long)done : -EFAULT;
        }
        done += run;
    }
    return (long)n;
}

long chardev_read(struct file *f, uint32_t user_buf, uint32_t n)
{
    switch (f->node->rdev) {
    case ZERO_DEV:
    case FULL_DEV:
        return read_zeros(user_buf, n);
    case RANDOM_DEV:
    case URANDOM_DEV:
        return random_to_user(user_buf, n);
    default:
        return 0; /* null: end of file */
    }
}

long chardev_write(struct file *f, uint32_t user_buf, uint32_t n)
{
    (void)user_buf;
    return f->node->rdev == FULL_DEV ? -ENOSPC : (long)n;
}
