/*
 * ramfs: a file server in user space. Files live in this process's memory; clients open them
 * by name and read and write them at explicit offsets over IPC (user/servers/protocol.h), the
 * names and the data travelling as long messages. Registered as "ramfs" (ns_serve).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "user/servers/protocol.h"

#define MAX_FILES    8
#define FILE_SIZE    4096
#define NAME_MAX_LEN 32

static struct {
    char name[NAME_MAX_LEN + 1];
    uint32_t size;
    unsigned opens;
    char data[FILE_SIZE];
} files[MAX_FILES];

static char buf[IPC_BUF_MAX];

/* RAMFS_OPEN: the handle, or -errno. */
static int open_file(const char *name, uint32_t len, int create)
{
    if (len == 0 || len > NAME_MAX_LEN) {
        return -EINVAL;
    }
    int free_slot = -1;
    for (int i = 0; i < MAX_FILES; i++) {
        if (files[i].name[0] == '\0') {
            free_slot = free_slot < 0 ? i : free_slot;
        } else if (strlen(files[i].name) == len && memcmp(files[i].name, name, len) == 0) {
            files[i].opens++;
            return i;
        }
    }
    if (!create) {
        return -ENOENT;
    }
    if (free_slot < 0) {
        return -ENOMEM;
    }
    memcpy(files[free_slot].name, name, len);
    files[free_slot].opens = 1;
    return free_slot;
}

static int valid(uint32_t handle)
{
    return handle < MAX_FILES && files[handle].opens > 0;
}

/* Serves one request in m (long part in buf); sets m and ext to the reply. 1 to quit. */
static int handle(struct ipc_msg *m, struct ipc_ext *ext)
{
    uint32_t h = m->w[0], offset = m->w[1], n = m->w[2];
    int r = 0;
    switch (m->label) {
    case RAMFS_OPEN:
        r = open_file(buf, m->len, (int)m->w[0]);
        *m = (struct ipc_msg){ .label = r < 0 ? (uint32_t)r : 0, .w = { (uint32_t)r } };
        return 0;
    case RAMFS_READ:
        if (!valid(h)) {
            break;
        }
        n = offset >= files[h].size ? 0 : files[h].size - offset < n ? files[h].size - offset : n;
        n = n > IPC_BUF_MAX ? IPC_BUF_MAX : n;
        ext->send_buf = (uint32_t)(files[h].data + offset);
        ext->send_len = n;
        *m = (struct ipc_msg){ .w = { n } };
        return 0;
    case RAMFS_WRITE:
        if (!valid(h)) {
            break;
        }
        if (offset > FILE_SIZE || m->len > FILE_SIZE - offset) {
            *m = (struct ipc_msg){ .label = (uint32_t)-ENOMEM };
            return 0;
        }
        memcpy(files[h].data + offset, buf, m->len);
        if (offset + m->len > files[h].size) {
            files[h].size = offset + m->len;
        }
        *m = (struct ipc_msg){ .w = { m->len } };
        return 0;
    case RAMFS_CLOSE:
        if (!valid(h)) {
            break;
        }
        files[h].opens--;
        *m = (struct ipc_msg){ 0 };
        return 0;
    case RAMFS_SIZE:
        if (!valid(h)) {
            break;
        }
        *m = (struct ipc_msg){ .w = { files[h].size } };
        return 0;
    case SERVER_QUIT:
        *m = (struct ipc_msg){ 0 };
        return 1;
    default:
        *m = (struct ipc_msg){ .label = (uint32_t)-ENOSYS };
        return 0;
    }
    *m = (struct ipc_msg){ .label = (uint32_t)-EBADF };
    return 0;
}

int main(void)
{
    if (ns_serve("ramfs", buf, sizeof(buf), handle) != 0) {
        printf("ramfs: %s\n", strerror(errno));
        return 1;
    }
    printf("ramfs: quit\n");
    return 0;
}
