/* The one errno: the system-call stubs and libsys set it, nothing clears it. */
#include <errno.h>

int errno;
