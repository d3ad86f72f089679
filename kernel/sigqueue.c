/*
 * Real-time signals queue (signal.h): a standard signal sent while one of its kind is pending
 * merges with it, but each real-time signal (SIGRTMIN..SIGRTMAX) sent again waits in a short
 * queue, with its own siginfo (sigqueue's value), and is delivered in turn, as Linux does. The
 * pending bit stays set while any of that signal is left; the first one's siginfo is in
 * info[sig - 1], the rest in the queue in the order they were sent.
 */
#include <signal.h>

#include <lib/string.h>

bool signal_queue_add(struct signal_state *s, int sig, const struct signal_info *info)
{
    if (s->queued == SIGNAL_QUEUE_MAX) {
        return false;
    }
    s->queue[s->queued++] = (struct queued_signal){ .sig = sig, .info = *info };
    return true;
}

/* Removes queue entry i, keeping the order of the rest. */
static void remove_entry(struct signal_state *s, unsigned i)
{
    memmove(&s->queue[i], &s->queue[i + 1], (s->queued - i - 1) * sizeof(s->queue[0]));
    s->queued--;
}

struct signal_info signal_dequeue(struct signal_state *s, int sig)
{
    struct signal_info taken = s->info[sig - 1];
    for (unsigned i = 0; i < s->queued; i++) {
        if (s->queue[i].sig == sig) {
            s->info[sig - 1] = s->queue[i].info; /* the next one is pending now */
            remove_entry(s, i);
            return taken;
        }
    }
    s->pending &= ~SIGBIT(sig);
    s->shared &= ~SIGBIT(sig);
    return taken;
}

void signal_discard(struct signal_state *s, int sig)
{
    s->pending &= ~SIGBIT(sig);
    s->shared &= ~SIGBIT(sig);
    for (unsigned i = s->queued; i-- > 0;) {
        if (s->queue[i].sig == sig) {
            remove_entry(s, i);
        }
    }
}
