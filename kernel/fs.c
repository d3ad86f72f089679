#include <fs.h>

#include <frames.h>
#include <kprintf.h>
#include <lib/flatdisk.h>
#include <lib/format.h>
#include <lib/string.h>
#include <lib/tar.h>

#include <arch/memlayout.h>

static struct fs_file files[FS_MAX_FILES];
static unsigned file_count;

static struct fs_file *add(const char *path, enum fs_kind kind, const uint8_t *data, uint32_t size)
{
    if (file_count == FS_MAX_FILES) {
        kprintf("fs: more than %u files; %s left out\n", FS_MAX_FILES, path);
        return NULL;
    }
    if (strlen(path) >= FS_PATH_MAX) {
        kprintf("fs: path too long; %.40s... left out\n", path);
        return NULL;
    }
    struct fs_file *f = &files[file_count++];
    memset(f, 0, sizeof(*f));
    strlcpy(f->path, path, sizeof(f->path));
    f->kind = kind;
    f->mode = kind == FS_FILE ? 0644 : 0755;
    f->data = data;
    f->size = size;
    uint32_t phys = data ? virt_to_phys(data) : 0;
    f->phys = (phys & (PAGE_SIZE - 1)) == 0 ? phys : 0;
    return f;
}

/* Adds the directories above path ("/bin" for "/bin/sh") if they are not there yet. */
static void add_parents(const char *path)
{
    char dir[FS_PATH_MAX];
    strlcpy(dir, path, sizeof(dir));
    for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (!fs_lookup(dir)) {
            add(dir, FS_DIRECTORY, NULL, 0);
        }
        *slash = '/';
    }
}

static void add_archive(const char *module_name, const uint8_t *data, uint32_t size)
{
    struct tar_iter it;
    struct tar_entry entry;
    tar_iter_init(&it, data, size);
    int r;
    unsigned n = 0;
    while ((r = tar_next(&it, &entry)) == 1) {
        add_parents(entry.path);
        if (fs_lookup(entry.path)) {
            continue; /* a later duplicate (or a directory we made up) */
        }
        if (entry.type == '1') {
            /* A hard link: another name for a file the archive already holds (busybox's
             * applets are one binary under many names). The tree shares its bytes. */
            const struct fs_file *target = fs_lookup(entry.link);
            if (target == NULL || target->kind != FS_FILE) {
                kprintf("mod %s: %s links to %s, which is no earlier file; left out\n", module_name,
                        entry.path, entry.link);
                continue;
            }
            struct fs_file *f = add(entry.path, FS_FILE, target->data, target->size);
            if (f) {
                f->link_to = target->link_to ? target->link_to : target;
                f->mode = target->mode;
            }
            n++;
            continue;
        }
        enum fs_kind kind = entry.type == '5'   ? FS_DIRECTORY
                            : entry.type == '2' ? FS_SYMLINK
                                                : FS_FILE;
        struct fs_file *f = add(entry.path, kind, entry.data, entry.size);
        if (f) {
            f->mode = entry.mode;
            f->uid = entry.uid;
            f->gid = entry.gid;
            f->mtime = entry.mtime;
            if (kind == FS_SYMLINK) {
                strlcpy(f->args, entry.link, sizeof(f->args));
            }
        }
        n++;
    }
    if (r < 0) {
        kprintf("mod %s: %s; the %u entries before it are kept\n", module_name, it.error, n);
    }
}

static void add_flat_ramdisk(const char *module_name, const uint8_t *data, uint32_t size)
{
    struct flatdisk_program programs[FLATDISK_MAX_PROGRAMS];
    char error[FLATDISK_ERROR_SIZE];
    int count = flatdisk_parse(data, size, programs, error, sizeof(error));
    if (count < 0) {
        kprintf("mod %s: %s\n", module_name, error);
        return;
    }
    for (int i = 0; i < count; i++) {
        char path[24];
        format_snprintf(path, sizeof(path), "/mod/flat%d", i);
        struct fs_file *f = add(path, FS_FLAT_PROGRAM, data + programs[i].offset, programs[i].size);
        if (f && f->phys) {
            /* The tree holds one reference to each whole page; processes map them
             * copy-on-write (a last partial page is copied instead: see load_flat). */
            frame_adopt(f->phys, f->phys + programs[i].size);
        }
        if (f) {
            format_snprintf(f->args, sizeof(f->args), "flat%d", i);
        }
    }
}

/* NAME, the first word of a module's command line. */
static void first_word(const char *cmdline, char *out, size_t size)
{
    size_t n = 0;
    while (cmdline[n] && cmdline[n] != ' ' && n + 1 < size) {
        out[n] = cmdline[n];
        n++;
    }
    out[n] = '\0';
}

void fs_init(const struct boot_info *info)
{
    add("/", FS_DIRECTORY, NULL, 0);
    add("/mod", FS_DIRECTORY, NULL, 0);
    for (unsigned i = 0; i < info->module_count; i++) {
        const struct bootinfo_module *m = &info->modules[i];
        char name[FS_PATH_MAX - 8];
        first_word(m->cmdline, name, sizeof(name));
        if (m->end > DIRECT_MAP_SIZE) {
            kprintf("mod %s: above the direct map; left out\n", name);
            continue;
        }
        const uint8_t *data = phys_to_virt(m->start);
        uint32_t size = m->end - m->start;
        switch (bootinfo_classify_module(data, size)) {
        case MODULE_TAR:
            add_archive(name, data, size);
            continue;
        case MODULE_FLAT_RAMDISK:
            add_flat_ramdisk(name, data, size);
            continue;
        default:
            break;
        }
        char path[FS_PATH_MAX];
        format_snprintf(path, sizeof(path), "/mod/%s", name);
        if (name[0] == '\0' || strchr(name, '/') || fs_lookup(path)) {
            kprintf("mod %u (%s): bad or duplicate name; left out\n", i, m->cmdline);
            continue;
        }
        enum module_kind kind = bootinfo_classify_module(data, size);
        bool program = kind == MODULE_ELF || kind == MODULE_BINARY;
        struct fs_file *f = add(path, program ? FS_MODULE_PROGRAM : FS_FILE, data, size);
        if (f) {
            strlcpy(f->args, m->cmdline, sizeof(f->args));
        }
    }
}

const struct fs_file *fs_lookup(const char *path)
{
    for (unsigned i = 0; i < file_count; i++) {
        if (strcmp(files[i].path, path) == 0) {
            return &files[i];
        }
    }
    return NULL;
}

unsigned fs_count(void)
{
    return file_count;
}

const struct fs_file *fs_at(unsigned index)
{
    return index < file_count ? &files[index] : NULL;
}
