#include <startup.h>

#include <endpoint.h>
#include <file.h>
#include <fs.h>
#include <kprintf.h>
#include <lib/string.h>
#include <lib/text.h>
#include <proc.h>
#include <program.h>
#include <vfs.h>

#include <abi/stat.h>

#define MAX_ARGS 32

/* Splits a copy of text into words (in buf) and points argv at them; returns the count. */
static int split_words(const char *text, char *buf, size_t buf_size, const char **argv)
{
    strlcpy(buf, text, buf_size);
    int argc = 0;
    for (char *p = buf; *p && argc < MAX_ARGS;) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        argv[argc++] = p;
        while (*p && *p != ' ') {
            p++;
        }
    }
    argv[argc] = NULL;
    return argc;
}

/* Starts the program image; returns its pid, or 0 (with the reason printed). */
static int start(const struct program_image *image, const char *name, const char *args)
{
    char words[FS_ARGS_MAX];
    const char *argv[MAX_ARGS + 1];
    int argc = split_words(args, words, sizeof(words), argv);
    char error[96] = "";
    int pid = proc_create(name, image, argv, argc, error, sizeof(error));
    if (pid < 0) {
        kprintf("mod %s: not loaded: %s\n", name, error);
        return 0;
    }
    return pid;
}

/*
 * names=NAME with init=none: one endpoint, the name service, made before any module runs. Its
 * receive end goes to the program module called NAME, its send end to every other one, at
 * descriptor IPC_NAMES_FD (docs/ipc.md). Returns false when there is no such word (ends
 * untouched) or no memory for the endpoint.
 */
static bool names_endpoint(const char *cmdline, char *name, size_t size, struct file *ends[2])
{
    if (!cmdline_get(cmdline, "names", name, size)) {
        return false;
    }
    if (endpoint_new(ends) != 0) {
        kprintf("names: no memory for the name service endpoint\n");
        return false;
    }
    return true;
}

/* Gives the new process pid the open file f (one more reference) at descriptor IPC_NAMES_FD. */
static void give_names_end(int pid, struct file *f)
{
    struct proc *p = proc_find(pid);
    if (p && p->files->fds[IPC_NAMES_FD] == NULL) {
        file_ref(f);
        files_set(p->files, IPC_NAMES_FD, f);
    }
}

/* The last part of a path: "sh" for "/bin/sh". */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

unsigned startup_processes(const char *cmdline)
{
    char init[FS_PATH_MAX] = "/bin/init";
    bool asked = cmdline_get(cmdline, "init", init, sizeof(init));
    if (strcmp(init, "none") != 0) {
        struct inode *root = vfs_root();
        struct inode *node;
        long err = vfs_walk(root, init, 0, &node);
        inode_put(root);
        struct program_image image;
        if (err == 0 && (node->mode & S_IFMT) != S_IFDIR) {
            err = program_image_of(node, init, &image);
            bool started = err == 0 && start(&image, base_name(init), init) > 0;
            if (err == 0) {
                program_image_release(&image);
            } else {
                kprintf("init: %s cannot run (error %ld)\n", init, -err);
            }
            inode_put(node);
            return started ? 1 : 0;
        }
        if (err == 0) {
            inode_put(node);
        }
        if (asked) {
            kprintf("init: %s not found; starting the program modules instead\n", init);
        }
    }
    unsigned started = 0;
    char names[PROC_NAME_SIZE];
    struct file *ends[2];
    bool have_names = names_endpoint(cmdline, names, sizeof(names), ends);
    for (unsigned i = 0; i < fs_count(); i++) {
        const struct fs_file *f = fs_at(i);
        if (f->kind != FS_MODULE_PROGRAM && f->kind != FS_FLAT_PROGRAM) {
            continue;
        }
        char name[PROC_NAME_SIZE];
        size_t n = 0;
        while (f->args[n] && f->args[n] != ' ' && n + 1 < sizeof(name)) {
            name[n] = f->args[n];
            n++;
        }
        name[n] = '\0';
        struct program_image image = program_image_of_boot(f);
        int pid = start(&image, name, f->args);
        if (pid > 0 && have_names) {
            give_names_end(pid, strcmp(name, names) == 0 ? ends[0] : ends[1]);
        }
        started += pid > 0 ? 1 : 0;
    }
    if (have_names) {
        file_close(ends[0]); /* the kernel's own references: the processes hold the rest */
        file_close(ends[1]);
    }
    return started;
}
