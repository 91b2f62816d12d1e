/* tmpguard — only the hooks leave the library (-fvisibility=hidden). */
#ifndef TG_EXPORT_H
#define TG_EXPORT_H

#define TG_EXPORT __attribute__((visibility("default")))
/* The program's call site: the return address of an exported hook. */
#define TG_CALLER() __builtin_return_address(0)
#define tg_likely(x) __builtin_expect(!!(x), 1)
#define tg_unlikely(x) __builtin_expect(!!(x), 0)

#endif
