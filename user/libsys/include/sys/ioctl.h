#pragma once
/* ioctl(2) (generated prototype) and its terminal requests (abi/termios.h). */
#include <sys/cdefs.h>
#include <abi/termios.h>

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
