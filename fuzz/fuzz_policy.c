/* libFuzzer target: the pure policy (tg_fopen_flags, tg_path_split,
 * tg_plan_open walked step by step). Input: byte 0 selects flags bits for
 * the plan; the rest is split at the first NUL into an fopen mode and a
 * path. Checks the
 * documented contracts: tg_path_split's parent is NUL-terminated and fits,
 * its base points inside the path and has no '/'; a mode glibc rejects
 * (first char not r/w/a) is rejected; the plan is a known value. */
#include <config.h>

#include <assert.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t sel = data[0];
	char *buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	const char *mode = buf;
	size_t mlen = strlen(mode);
	const char *path = mlen + 1 < size - 1 ? buf + mlen + 1 : "";

	int flags = 0;
	int rc = tg_fopen_flags(mode, &flags);
	if (mode[0] != 'r' && mode[0] != 'w' && mode[0] != 'a')
		assert(rc == -1);
	if (rc == 0) {
		int acc = flags & O_ACCMODE;
		assert(acc == O_RDONLY || acc == O_WRONLY || acc == O_RDWR);
	}

	char parent[64];
	const char *base = NULL;
	size_t plen = (size_t)(sel & 63) + 1;
	if (tg_path_split(path, parent, plen, &base) == 0) {
		assert(strlen(parent) < plen);
		assert(base >= path && base <= path + strlen(path));
		assert(strchr(base, '/') == NULL);
		assert(*base != '\0');
	}

	static const int bits[] = { O_CREAT, O_EXCL, O_TRUNC, O_WRONLY,
				    O_RDWR, O_NOFOLLOW, O_DIRECTORY, O_TMPFILE };
	int f = 0;
	for (int i = 0; i < 8; i++)
		if (sel & (1u << i))
			f |= bits[i];
	if (rc == 0)
		f |= flags;
	/* the plan, walked the way the guard walks it, with every answer a
	 * step can get: it ends in an action within two steps, audit never
	 * changes the call, and nothing is done without a reason */
	for (int m = 0; m < 2; m++)
		for (int reserved = 0; reserved < 2; reserved++)
			for (int cand = 0; cand < 2; cand++)
				for (int pa = TG_PARENT_SHARED;
				     pa <= TG_PARENT_UNKNOWN; pa++) {
					struct tg_open_facts fa = {
						.mode = (enum tg_mode)m,
						.flags = f,
						.reserved = reserved,
						.candidate = cand };
					enum tg_plan p;
					int steps = 0;
					for (;; steps++) {
						assert(steps < 3);
						p = tg_plan_open(&fa);
						if (p != TG_PLAN_LOOK_PARENT)
							break;
						fa.parent = (enum tg_parent)pa;
					}
					assert(p >= TG_PLAN_PASS && p <= TG_PLAN_AUDIT);
					if (m == TG_MODE_AUDIT)
						assert(p == TG_PLAN_PASS ||
						       p == TG_PLAN_AUDIT ||
						       p == TG_PLAN_WATCH);
					if (!reserved && !cand &&
					    !tg_flags_predictable(f))
						assert(p == TG_PLAN_PASS);
				}
	free(buf);
	return 0;
}
