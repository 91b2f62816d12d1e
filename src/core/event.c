/* tmpguard — the event model: kinds, actions and errno values by name.
 * No allocation, no stdio, no system call: usable from a signal handler. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "core/event.h"

const char tg_event_kind_names[TG_EV_COUNT][TG_EV_NAME_MAX] = {
	[TG_EV_UNSAFE_NAME] = "unsafe-name",
	[TG_EV_PREDICTABLE_CREATE] = "predictable-create",
	[TG_EV_RACE_BLOCKED] = "race-blocked",
	[TG_EV_HIJACK_BLOCKED] = "hijack-blocked",
	[TG_EV_HIJACK_DETECTED] = "hijack-detected",
	[TG_EV_REWRITTEN] = "rewritten",
	[TG_EV_UNJUDGED] = "unjudged",
};

const char tg_action_names[TG_ACT_COUNT][TG_ACT_NAME_MAX] = {
	[TG_ACT_LOGGED] = "logged",
	[TG_ACT_HARDENED] = "hardened",
	[TG_ACT_BLOCKED] = "blocked",
};

int tg_event_kind_parse(const char *s)
{
	for (int i = 0; s != NULL && i < TG_EV_COUNT; i++)
		if (strcmp(s, tg_event_kind_names[i]) == 0)
			return i;
	return -1;
}

int tg_action_parse(const char *s)
{
	for (int i = 0; s != NULL && i < TG_ACT_COUNT; i++)
		if (strcmp(s, tg_action_names[i]) == 0)
			return i;
	return -1;
}

/* Errno names, ours rather than strerrorname_np (glibc 2.32): one libc symbol
 * version less for every process to check at start-up. The values a file
 * call can fail with, and the rest of Linux's list; anything else is shown
 * by number only. Aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) are left out:
 * the name is the one strerrorname_np gives. */
#define TG_ERRNO(e) { e, #e },
static const struct {
	int value;
	char name[16]; /* inline, not pointers: no relocation at load */
} tg_errno_names[] = {
	TG_ERRNO(EPERM)
	TG_ERRNO(ENOENT)
	TG_ERRNO(ESRCH)
	TG_ERRNO(EINTR)
	TG_ERRNO(EIO)
	TG_ERRNO(ENXIO)
	TG_ERRNO(E2BIG)
	TG_ERRNO(ENOEXEC)
	TG_ERRNO(EBADF)
	TG_ERRNO(ECHILD)
	TG_ERRNO(EAGAIN)
	TG_ERRNO(ENOMEM)
	TG_ERRNO(EACCES)
	TG_ERRNO(EFAULT)
	TG_ERRNO(ENOTBLK)
	TG_ERRNO(EBUSY)
	TG_ERRNO(EEXIST)
	TG_ERRNO(EXDEV)
	TG_ERRNO(ENODEV)
	TG_ERRNO(ENOTDIR)
	TG_ERRNO(EISDIR)
	TG_ERRNO(EINVAL)
	TG_ERRNO(ENFILE)
	TG_ERRNO(EMFILE)
	TG_ERRNO(ENOTTY)
	TG_ERRNO(ETXTBSY)
	TG_ERRNO(EFBIG)
	TG_ERRNO(ENOSPC)
	TG_ERRNO(ESPIPE)
	TG_ERRNO(EROFS)
	TG_ERRNO(EMLINK)
	TG_ERRNO(EPIPE)
	TG_ERRNO(EDOM)
	TG_ERRNO(ERANGE)
	TG_ERRNO(EDEADLK)
	TG_ERRNO(ENAMETOOLONG)
	TG_ERRNO(ENOLCK)
	TG_ERRNO(ENOSYS)
	TG_ERRNO(ENOTEMPTY)
	TG_ERRNO(ELOOP)
	TG_ERRNO(ENOMSG)
	TG_ERRNO(EIDRM)
	TG_ERRNO(ENOSTR)
	TG_ERRNO(ENODATA)
	TG_ERRNO(ETIME)
	TG_ERRNO(ENOSR)
	TG_ERRNO(EREMOTE)
	TG_ERRNO(ENOLINK)
	TG_ERRNO(EPROTO)
	TG_ERRNO(EMULTIHOP)
	TG_ERRNO(EBADMSG)
	TG_ERRNO(EOVERFLOW)
	TG_ERRNO(EILSEQ)
	TG_ERRNO(EUSERS)
	TG_ERRNO(ENOTSOCK)
	TG_ERRNO(EDESTADDRREQ)
	TG_ERRNO(EMSGSIZE)
	TG_ERRNO(EPROTOTYPE)
	TG_ERRNO(ENOPROTOOPT)
	TG_ERRNO(EPROTONOSUPPORT)
	TG_ERRNO(ESOCKTNOSUPPORT)
	TG_ERRNO(EOPNOTSUPP)
	TG_ERRNO(EPFNOSUPPORT)
	TG_ERRNO(EAFNOSUPPORT)
	TG_ERRNO(EADDRINUSE)
	TG_ERRNO(EADDRNOTAVAIL)
	TG_ERRNO(ENETDOWN)
	TG_ERRNO(ENETUNREACH)
	TG_ERRNO(ENETRESET)
	TG_ERRNO(ECONNABORTED)
	TG_ERRNO(ECONNRESET)
	TG_ERRNO(ENOBUFS)
	TG_ERRNO(EISCONN)
	TG_ERRNO(ENOTCONN)
	TG_ERRNO(ESHUTDOWN)
	TG_ERRNO(ETOOMANYREFS)
	TG_ERRNO(ETIMEDOUT)
	TG_ERRNO(ECONNREFUSED)
	TG_ERRNO(EHOSTDOWN)
	TG_ERRNO(EHOSTUNREACH)
	TG_ERRNO(EALREADY)
	TG_ERRNO(EINPROGRESS)
	TG_ERRNO(ESTALE)
	TG_ERRNO(EUCLEAN)
	TG_ERRNO(EDQUOT)
	TG_ERRNO(ENOMEDIUM)
	TG_ERRNO(EMEDIUMTYPE)
	TG_ERRNO(ECANCELED)
	TG_ERRNO(ENOKEY)
	TG_ERRNO(EKEYEXPIRED)
	TG_ERRNO(EKEYREVOKED)
	TG_ERRNO(EKEYREJECTED)
	TG_ERRNO(EOWNERDEAD)
	TG_ERRNO(ENOTRECOVERABLE)
	TG_ERRNO(ERFKILL)
	TG_ERRNO(EHWPOISON)
};
#undef TG_ERRNO

const char *tg_errno_name(int err)
{
	if (err <= 0)
		return NULL;
	for (size_t i = 0; i < sizeof tg_errno_names / sizeof tg_errno_names[0]; i++)
		if (tg_errno_names[i].value == err)
			return tg_errno_names[i].name;
	return NULL;
}

int tg_event_is_attack(enum tg_event_kind k)
{
	return k == TG_EV_RACE_BLOCKED || k == TG_EV_HIJACK_BLOCKED ||
	       k == TG_EV_HIJACK_DETECTED;
}
