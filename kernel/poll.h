#pragma once
/*
 * poll(2) and select(2): waiting for any of several descriptors. A poller sleeps on one channel
 * that every change a poll could see wakes (poll_notify: tty input, pipe data, space, a closed end)
 * and looks again; a timeout wakes it through the clock like a sleep.
 */
#include <abi/poll.h>

/* Wakes every process sleeping in poll, to look at its descriptors again. */
void poll_notify(void);
