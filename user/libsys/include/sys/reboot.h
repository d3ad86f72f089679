#pragma once
/*
 * reboot(2) (generated prototype) and its magic numbers (abi/reboot.h). Ringlet knows one
 * command, REBOOT_CMD_POWER_OFF: reboot(REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF,
 * NULL) stops the machine and does not return.
 */
#include <sys/cdefs.h>
#include <abi/reboot.h>

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
