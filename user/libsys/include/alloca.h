#pragma once
/* alloca(n): n bytes in the caller's stack frame, gone when the caller returns. */
#define alloca(n) __builtin_alloca(n)
