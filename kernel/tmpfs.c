#include <tmpfs.h>

#include <frames.h>
#include <heap.h>
#include <lib/string.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/stat.h>

#include <arch/memlayout.h>

#define FILE_SIZE_MAX 0x7fffffffu /* a file's bytes must fit a 32-bit off_t */

struct entry {
    struct entry *next;
    struct inode *node; /* counted in node->links, not refs */
    char name[];
};

struct tmpfs_node {
    struct inode vfs;
    struct entry *entries; /* directories, in creation order */
    uint32_t *pages;       /* regular files: frame of each page, 0 for a hole */
    uint32_t page_slots;
    const struct fs_file *boot; /* while the file still shares a module's bytes */
    char *target;               /* symbolic links */
};

struct tmpfs_super {
    struct super vfs;
    uint32_t pages; /* frames its files hold */
    uint32_t pages_max;
};

static const struct inode_ops tmpfs_ops;
static uint32_t pages_in_use;

static struct tmpfs_node *tnode(struct inode *node)
{
    return (struct tmpfs_node *)node;
}

static struct tmpfs_super *tsuper(struct super *sb)
{
    return (struct tmpfs_super *)sb;
}

bool tmpfs_owns(const struct inode *node)
{
    return node->ops == &tmpfs_ops;
}

uint32_t tmpfs_pages_in_use(void)
{
    return pages_in_use;
}

static uint64_t tmpfs_blocks(struct super *sb, uint64_t *free)
{
    struct tmpfs_super *t = tsuper(sb);
    *free = t->pages_max - t->pages;
    return t->pages_max;
}

/* A directory's size, as Linux's tmpfs reports it: 20 bytes an entry, "." and ".." included. */
#define BOGO_DIRENT_SIZE 20

struct super *tmpfs_new(uint32_t root_mode)
{
    struct tmpfs_super *t = kcalloc(1, sizeof(*t));
    if (t == NULL) {
        return NULL;
    }
    t->vfs.dev = vfs_new_dev();
    t->vfs.type = "tmpfs";
    t->vfs.next_ino = 1;
    t->vfs.block_size = PAGE_SIZE;
    t->vfs.blocks = tmpfs_blocks;
    t->pages_max = frame_total_count() / 2;
    struct inode *root =
        inode_new(&t->vfs, sizeof(struct tmpfs_node), S_IFDIR | root_mode, &tmpfs_ops);
    if (root == NULL) {
        kfree(t);
        return NULL;
    }
    root->links = 2;
    root->size = 2 * BOGO_DIRENT_SIZE; /* "." and ".." */
    t->vfs.root = root;                /* the super's reference */
    return &t->vfs;
}

/* ---- directories ---- */

static struct entry **find(struct inode *dir, const char *name)
{
    struct entry **at = &tnode(dir)->entries;
    while (*at && strcmp((*at)->name, name) != 0) {
        at = &(*at)->next;
    }
    return at;
}

static struct inode *tmpfs_lookup(struct inode *dir, const char *name)
{
    struct entry *e = *find(dir, name);
    return e ? inode_get(e->node) : NULL;
}

static bool tmpfs_next_entry(struct inode *dir, uint32_t *cursor, struct dir_entry *out)
{
    struct entry *e = tnode(dir)->entries;
    for (uint32_t i = 0; e && i < *cursor; i++) {
        e = e->next;
    }
    if (e == NULL) {
        return false;
    }
    (*cursor)++;
    out->ino = e->node->ino;
    out->type = vfs_dirent_type(e->node->mode);
    strlcpy(out->name, e->name, sizeof(out->name));
    return true;
}

/* Adds the name; the caller counts the link. */
static long add_entry(struct inode *dir, const char *name, struct inode *node)
{
    size_t n = strlen(name);
    struct entry *e = kmalloc(sizeof(*e) + n + 1);
    if (e == NULL) {
        return -ENOSPC;
    }
    e->node = node;
    memcpy(e->name, name, n + 1);
    e->next = NULL;
    *find(dir, name) = e; /* the name is absent: find gives the list's end */
    dir->size += BOGO_DIRENT_SIZE;
    dir->mtime = dir->ctime = vfs_now();
    return 0;
}

/* Takes the entry out of dir's list and gives it to the caller. */
static struct entry *take_entry(struct inode *dir, const char *name)
{
    struct entry **at = find(dir, name);
    struct entry *e = *at;
    if (e) {
        *at = e->next;
        dir->size -= BOGO_DIRENT_SIZE;
        dir->mtime = dir->ctime = vfs_now();
    }
    return e;
}

static bool is_dir(const struct inode *node)
{
    return (node->mode & S_IFMT) == S_IFDIR;
}

/* The name's link is gone: a directory loses its own two and its parent's "..". */
static void drop_link(struct inode *dir, struct inode *node)
{
    if (is_dir(node)) {
        node->links = 0;
        dir->links--;
    } else {
        node->links--;
    }
    node->ctime = vfs_now();
}

static long tmpfs_create(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
                         const char *target, struct inode **out)
{
    struct inode *node = inode_new(dir->sb, sizeof(struct tmpfs_node), mode, &tmpfs_ops);
    if (node == NULL) {
        return -ENOSPC;
    }
    node->rdev = rdev;
    if ((mode & S_IFMT) == S_IFLNK) {
        size_t n = strlen(target);
        tnode(node)->target = kmalloc(n + 1);
        if (tnode(node)->target == NULL) {
            kfree(node);
            return -ENOSPC;
        }
        memcpy(tnode(node)->target, target, n + 1);
        node->size = (uint32_t)n;
    }
    long err = add_entry(dir, name, node);
    if (err != 0) {
        kfree(tnode(node)->target);
        kfree(node);
        return err;
    }
    if (is_dir(node)) {
        node->links = 2;
        node->size = 2 * BOGO_DIRENT_SIZE;
        node->parent = inode_get(dir);
        dir->links++;
    } else {
        node->links = 1;
    }
    *out = node;
    return 0;
}

static long tmpfs_link(struct inode *dir, const char *name, struct inode *target)
{
    long err = add_entry(dir, name, target);
    if (err == 0) {
        target->links++;
        target->ctime = vfs_now();
    }
    return err;
}

static long tmpfs_unlink(struct inode *dir, const char *name)
{
    struct entry *e = take_entry(dir, name);
    if (e == NULL) {
        return -ENOENT;
    }
    drop_link(dir, e->node);
    kfree(e);
    return 0;
}

static long tmpfs_rename(struct inode *from_dir, const char *from_name, struct inode *to_dir,
                         const char *to_name)
{
    struct entry **old_at = find(to_dir, to_name);
    struct entry *e = *find(from_dir, from_name);
    if (e == NULL) {
        return -ENOENT;
    }
    if (*old_at && (*old_at)->node == e->node) {
        return 0; /* two names of one file: Linux does nothing */
    }
    size_t n = strlen(to_name);
    struct entry *moved = kmalloc(sizeof(*moved) + n + 1);
    if (moved == NULL) {
        return -ENOMEM;
    }
    if (*old_at) {
        struct entry *replaced = *old_at;
        *old_at = replaced->next;
        to_dir->size -= BOGO_DIRENT_SIZE;
        drop_link(to_dir, replaced->node);
        kfree(replaced);
    }
    struct inode *node = e->node;
    kfree(take_entry(from_dir, from_name));
    moved->node = node;
    memcpy(moved->name, to_name, n + 1);
    moved->next = NULL;
    *find(to_dir, to_name) = moved;
    to_dir->size += BOGO_DIRENT_SIZE;
    to_dir->mtime = to_dir->ctime = vfs_now();
    node->ctime = vfs_now();
    if (is_dir(node) && from_dir != to_dir) {
        from_dir->links--;
        to_dir->links++;
        struct inode *old_parent = node->parent;
        node->parent = inode_get(to_dir);
        inode_put(old_parent);
    }
    return 0;
}

/* ---- regular files ---- */

/* Gives the file a page array of at least slots entries. */
static long reserve_pages(struct tmpfs_node *t, uint32_t slots)
{
    if (slots <= t->page_slots) {
        return 0;
    }
    uint32_t capacity = t->page_slots ? t->page_slots : 4;
    while (capacity < slots) {
        capacity *= 2;
    }
    uint32_t *pages = krealloc(t->pages, capacity * sizeof(*pages));
    if (pages == NULL) {
        return -ENOSPC;
    }
    memset(pages + t->page_slots, 0, (capacity - t->page_slots) * sizeof(*pages));
    t->pages = pages;
    t->page_slots = capacity;
    return 0;
}

/* The frame of page i, allocated (zeroed) if the file has a hole there. 0 when full. */
static uint32_t page_for_write(struct tmpfs_node *t, uint32_t i)
{
    if (t->pages[i]) {
        return t->pages[i];
    }
    struct tmpfs_super *sb = tsuper(t->vfs.sb);
    if (sb->pages >= sb->pages_max) {
        return 0;
    }
    uint32_t frame = frame_alloc_zeroed();
    if (frame) {
        t->pages[i] = frame;
        sb->pages++;
        pages_in_use++;
    }
    return frame;
}

/* Frees the pages from page first on. */
static void free_pages_from(struct tmpfs_node *t, uint32_t first)
{
    for (uint32_t i = first; i < t->page_slots; i++) {
        if (t->pages[i]) {
            frame_free(t->pages[i]);
            t->pages[i] = 0;
            tsuper(t->vfs.sb)->pages--;
            pages_in_use--;
        }
    }
}

/* Gives a file that still shares a module's bytes pages of its own. */
static long copy_up(struct tmpfs_node *t)
{
    if (t->boot == NULL) {
        return 0;
    }
    uint32_t size = t->vfs.size;
    uint32_t count = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    long err = reserve_pages(t, count);
    for (uint32_t i = 0; i < count && err == 0; i++) {
        uint32_t frame = page_for_write(t, i);
        if (frame == 0) {
            err = -ENOSPC;
            break;
        }
        uint32_t n = size - i * PAGE_SIZE < PAGE_SIZE ? size - i * PAGE_SIZE : PAGE_SIZE;
        memcpy(phys_to_virt(frame), t->boot->data + i * PAGE_SIZE, n);
    }
    if (err != 0) {
        free_pages_from(t, 0);
        return err;
    }
    t->boot = NULL;
    return 0;
}

static const uint8_t zeros[PAGE_SIZE];

/* Bytes from offset at to the end of its page, at most left. */
static uint32_t page_run(uint32_t at, uint32_t left)
{
    uint32_t run = PAGE_SIZE - at % PAGE_SIZE;
    return run < left ? run : left;
}

/* Where the bytes at offset live (at most to the end of their page): a module's, a page's, or
 * a hole's zeros. */
static const uint8_t *bytes_at(struct tmpfs_node *t, uint32_t offset)
{
    if (t->boot) {
        return t->boot->data + offset;
    }
    uint32_t i = offset / PAGE_SIZE;
    uint32_t frame = i < t->page_slots ? t->pages[i] : 0;
    return frame ? (const uint8_t *)phys_to_virt(frame) + offset % PAGE_SIZE : zeros;
}

/* Copies [offset, offset + n) of the file out, a page at a time, to the user or the kernel.
 * Returns the bytes copied, or -EFAULT when none could be. */
static long copy_out(struct tmpfs_node *t, uint32_t offset, uint32_t n, uint32_t user_buf,
                     uint8_t *kernel_buf)
{
    uint32_t size = t->vfs.size;
    if (offset >= size) {
        return 0;
    }
    if (n > size - offset) {
        n = size - offset;
    }
    uint32_t done = 0;
    while (done < n) {
        uint32_t at = offset + done;
        uint32_t run = page_run(at, n - done);
        const uint8_t *from = bytes_at(t, at);
        if (kernel_buf) {
            memcpy(kernel_buf + done, from, run);
        } else if (copy_to_user(user_buf + done, from, run) != 0) {
            return done ? (long)done : -EFAULT;
        }
        done += run;
    }
    return (long)done;
}

uint32_t tmpfs_read_kernel(struct inode *node, uint32_t offset, void *buf, uint32_t n)
{
    long got = copy_out(tnode(node), offset, n, 0, buf);
    return got > 0 ? (uint32_t)got : 0;
}

static long tmpfs_read(struct inode *node, struct file *f, uint32_t user_buf, uint32_t n,
                       uint32_t offset)
{
    (void)f;
    node->atime = vfs_now();
    return copy_out(tnode(node), offset, n, user_buf, NULL);
}

static long tmpfs_write(struct inode *node, struct file *f, uint32_t user_buf, uint32_t n,
                        uint32_t offset)
{
    (void)f;
    struct tmpfs_node *t = tnode(node);
    if (offset >= FILE_SIZE_MAX) {
        return -EFBIG;
    }
    if (n > FILE_SIZE_MAX - offset) {
        n = FILE_SIZE_MAX - offset;
    }
    long err = copy_up(t);
    if (err == 0) {
        err = reserve_pages(t, (offset + n + PAGE_SIZE - 1) / PAGE_SIZE);
    }
    if (err != 0) {
        return err;
    }
    uint32_t done = 0;
    while (done < n) {
        uint32_t at = offset + done;
        uint32_t run = page_run(at, n - done);
        uint32_t frame = page_for_write(t, at / PAGE_SIZE);
        if (frame == 0) {
            err = -ENOSPC;
            break;
        }
        if (copy_from_user((uint8_t *)phys_to_virt(frame) + at % PAGE_SIZE, user_buf + done, run) !=
            0) {
            err = -EFAULT;
            break;
        }
        done += run;
        if (at + run > node->size) {
            node->size = at + run;
        }
    }
    if (done > 0) {
        node->mtime = node->ctime = vfs_now();
        return (long)done;
    }
    return err;
}

static long tmpfs_truncate(struct inode *node, uint32_t size)
{
    struct tmpfs_node *t = tnode(node);
    if (size > FILE_SIZE_MAX) {
        return -EFBIG;
    }
    long err = copy_up(t);
    if (err != 0) {
        return err;
    }
    if (size < node->size) {
        uint32_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;
        free_pages_from(t, keep);
        if (size % PAGE_SIZE && keep - 1 < t->page_slots && t->pages[keep - 1]) {
            /* The rest of the last page must read as zeros if the file grows again. */
            memset((uint8_t *)phys_to_virt(t->pages[keep - 1]) + size % PAGE_SIZE, 0,
                   PAGE_SIZE - size % PAGE_SIZE);
        }
    }
    node->size = size;
    node->mtime = node->ctime = vfs_now();
    return 0;
}

static long tmpfs_readlink(struct inode *node, char *buf, size_t size)
{
    const char *target = tnode(node)->target;
    size_t n = strlen(target);
    if (n + 1 > size) {
        return -ENAMETOOLONG;
    }
    memcpy(buf, target, n + 1);
    return (long)n;
}

static void tmpfs_destroy(struct inode *node)
{
    struct tmpfs_node *t = tnode(node);
    free_pages_from(t, 0);
    kfree(t->pages);
    kfree(t->target);
    while (t->entries) { /* only a whole instance going away leaves entries behind */
        struct entry *e = t->entries;
        t->entries = e->next;
        kfree(e);
    }
}

static const struct inode_ops tmpfs_ops = {
    .lookup = tmpfs_lookup,
    .next_entry = tmpfs_next_entry,
    .create = tmpfs_create,
    .link = tmpfs_link,
    .unlink = tmpfs_unlink,
    .rename = tmpfs_rename,
    .read = tmpfs_read,
    .write = tmpfs_write,
    .truncate = tmpfs_truncate,
    .readlink = tmpfs_readlink,
    .destroy = tmpfs_destroy,
};

long tmpfs_add_boot_file(struct inode *dir, const char *name, const struct fs_file *boot,
                         struct inode **out)
{
    long err = tmpfs_create(dir, name, S_IFREG | (boot->mode & 07777), 0, NULL, out);
    if (err == 0) {
        tnode(*out)->boot = boot;
        (*out)->size = boot->size;
    }
    return err;
}

const struct fs_file *tmpfs_boot_origin(const struct inode *node)
{
    return tmpfs_owns(node) ? ((const struct tmpfs_node *)node)->boot : NULL;
}
