#pragma once
/* struct sysinfo, laid out as Linux i386 lays it out (sysinfo(2), call 116). */
#include <stdint.h>

struct sysinfo {
    int32_t uptime;    /* seconds since boot */
    uint32_t loads[3]; /* 1, 5, 15 minute load averages, scaled by 65536 */
    uint32_t totalram; /* in units of mem_unit bytes */
    uint32_t freeram;  /* exact: a program can check that nothing leaked */
    uint32_t sharedram;
    uint32_t bufferram;
    uint32_t totalswap;
    uint32_t freeswap;
    uint16_t procs; /* processes that exist */
    uint16_t pad;
    uint32_t totalhigh;
    uint32_t freehigh;
    uint32_t mem_unit;
    char reserved[8];
};

#ifndef __cplusplus
_Static_assert(sizeof(struct sysinfo) == 64, "Linux i386 struct sysinfo is 64 bytes");
#endif
