#pragma once
/* reboot(2) (call 88), with Linux's magic numbers. Ringlet knows one command: power off. */
#define REBOOT_MAGIC1        ((int)0xfee1dead)
#define REBOOT_MAGIC2        672274793
#define REBOOT_CMD_POWER_OFF ((int)0x4321fedc)
