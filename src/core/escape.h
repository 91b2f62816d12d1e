/* tmpguard — arbitrary bytes in JSON strings and in text lines, and back;
 * UTF-8 validity. No allocation, no system call: usable from a signal
 * handler. */
#ifndef TG_ESCAPE_H
#define TG_ESCAPE_H

#include <stddef.h>

#include "core/out.h"

/* JSON string body for arbitrary bytes: valid UTF-8 is kept, '"', '\\' and
 * control characters are escaped, each invalid byte B becomes \udcBB (the
 * lossless "surrogateescape" convention). Writes at most out_len-1 bytes and
 * a NUL; returns the length the full escape needs (like snprintf). */
size_t tg_json_escape(const char *s, char *out, size_t out_len);
/* Inverse of tg_json_escape: decodes a JSON string body (without quotes)
 * into bytes. Returns the decoded length or -1. */
long tg_json_unescape(const char *s, size_t len, char *out, size_t out_len);

/* Text form: C-style escapes (\n \t \r \" \\ \xHH) for anything not
 * printable ASCII and for the quote and the backslash. */
size_t tg_text_escape(const char *s, char *out, size_t out_len);
/* Inverse of tg_text_escape over len bytes of s; other bytes are taken as
 * they are. Returns the decoded length, or -1 for a malformed or cut escape,
 * an escaped NUL, or when the bytes and a NUL do not fit in out_len. */
long tg_text_unescape(const char *s, size_t len, char *out, size_t out_len);

/* The same escapes into an output buffer (NULL as ""). */
void tg_out_json_str(struct tg_out *o, const char *s);
void tg_out_text_str(struct tg_out *o, const char *s);

/* 1 when s is valid UTF-8: no overlong forms, surrogates or code points
 * past U+10FFFF. */
int tg_utf8_valid(const char *s);

#endif
