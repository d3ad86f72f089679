/* Helpers for Ringlet's own calls (<sys/ringlet.h>). */
#include <sys/ringlet.h>

const char *ringlet_proc_state_name(int state)
{
    switch (state) {
    case RINGLET_PROC_RUNNABLE:
        return "runnable";
    case RINGLET_PROC_RUNNING:
        return "running";
    case RINGLET_PROC_BLOCKED:
        return "blocked";
    case RINGLET_PROC_ZOMBIE:
        return "zombie";
    case RINGLET_PROC_STOPPED:
        return "stopped";
    default:
        return "?";
    }
}
