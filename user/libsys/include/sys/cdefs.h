#pragma once
/*
 * Helpers every libsys header uses. __BEGIN_DECLS/__END_DECLS give the declarations C linkage
 * when a C++ program includes them, so `write` stays `write` and not a mangled name.
 */
#ifdef __cplusplus
#define __BEGIN_DECLS extern "C" {
#define __END_DECLS   }
/* abi/ headers check their layouts with C11's _Static_assert, which C++ spells static_assert. */
#ifndef _Static_assert
#define _Static_assert static_assert
#endif
#else
#define __BEGIN_DECLS
#define __END_DECLS
#endif
