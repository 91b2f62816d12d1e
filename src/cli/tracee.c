/* tmpguard run --supervise — reading a trapped process through /proc. */
#include <config.h>

#ifdef HAVE_LIBSECCOMP

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cli/tracee.h"

#define TG_PAGE 4096

static void proc_path(char *buf, size_t len, pid_t pid, const char *what)
{
	snprintf(buf, len, "/proc/%ld/%s", (long)pid, what);
}

/* ---- credentials ---------------------------------------------------------- */

static int read_ids(const char *line, unsigned long v[4])
{
	return sscanf(line, "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) == 4
		       ? 0
		       : -1;
}

int tg_tracee_status(struct tracee *t)
{
	char path[64], buf[8192];
	proc_path(path, sizeof path, t->pid, "status");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n;
	do
		n = read(fd, buf, sizeof buf - 1); /* one read: the whole file */
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	int got = 0;
	t->tgid = t->pid;
	t->umask = 022;
	t->ngroups = 0;
	for (char *line = buf, *next; line != NULL && *line; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		unsigned long v[4];
		if (strncmp(line, "Uid:", 4) == 0 && read_ids(line + 4, v) == 0) {
			t->euid = (uid_t)v[1];
			t->fsuid = (uid_t)v[3];
			got |= 1;
		} else if (strncmp(line, "Gid:", 4) == 0 &&
			   read_ids(line + 4, v) == 0) {
			t->fsgid = (gid_t)v[3];
			got |= 2;
		} else if (strncmp(line, "Tgid:", 5) == 0) {
			t->tgid = (pid_t)strtol(line + 5, NULL, 10);
		} else if (strncmp(line, "Umask:", 6) == 0) {
			t->umask = (mode_t)strtoul(line + 6, NULL, 8) & 0777;
		} else if (strncmp(line, "Groups:", 7) == 0) {
			char *p = line + 7, *end;
			for (;;) {
				unsigned long g = strtoul(p, &end, 10);
				if (end == p)
					break;
				if (t->ngroups >= TG_TRACEE_GROUPS) {
					t->ngroups = -1;
					break;
				}
				t->groups[t->ngroups++] = (gid_t)g;
				p = end;
			}
		}
	}
	return got == 3 ? 0 : -1;
}

/* ---- memory ----------------------------------------------------------------- */

/* process_vm_readv, or /proc/PID/mem where it is not available. */
static ssize_t read_some(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n >= 0 || errno != ENOSYS)
		return n;
	char path[64];
	proc_path(path, sizeof path, pid, "mem");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, (off_t)addr);
	int err = errno;
	close(fd);
	errno = err;
	return n;
}

int tg_tracee_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = read_some(pid, addr, buf, len);
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		errno = EFAULT;
	return -1;
}

int tg_tracee_string(pid_t pid, uint64_t addr, char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		/* never across a page boundary: the next page may be unmapped
		 * while the string ends before it */
		size_t chunk = TG_PAGE - (size_t)((addr + got) % TG_PAGE);
		if (chunk > len - got)
			chunk = len - got;
		ssize_t n = read_some(pid, addr + got, buf + got, chunk);
		if (n <= 0) {
			if (n == 0)
				errno = EFAULT;
			return -1;
		}
		char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul != NULL)
			return 0;
		got += (size_t)n;
	}
	errno = ENAMETOOLONG;
	return -1;
}

/* ---- where paths start -------------------------------------------------------- */

int tg_tracee_start_dir(pid_t pid, int dirfd)
{
	char path[64];
	if (dirfd == AT_FDCWD) {
		proc_path(path, sizeof path, pid, "cwd");
	} else {
		if (dirfd < 0) {
			errno = EBADF;
			return -1;
		}
		snprintf(path, sizeof path, "/proc/%ld/fd/%d", (long)pid, dirfd);
	}
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && dirfd != AT_FDCWD)
			errno = EBADF; /* no such descriptor */
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		errno = ENOTDIR;
		return -1;
	}
	return fd;
}

/* run's own root and mount namespace, looked at once */
static struct stat own_root, own_ns;
static int own_known;

static int same_object(const char *path, const struct stat *own)
{
	struct stat st;
	return stat(path, &st) == 0 && st.st_dev == own->st_dev &&
	       st.st_ino == own->st_ino;
}

int tg_tracee_same_view(pid_t pid)
{
	if (!own_known) {
		if (stat("/", &own_root) < 0 ||
		    stat("/proc/self/ns/mnt", &own_ns) < 0)
			return 0;
		own_known = 1;
	}
	char root[64], ns[64];
	proc_path(root, sizeof root, pid, "root");
	proc_path(ns, sizeof ns, pid, "ns/mnt");
	return same_object(root, &own_root) && same_object(ns, &own_ns);
}

void tg_tracee_exe(struct tracee *t)
{
	char path[64];
	proc_path(path, sizeof path, t->pid, "exe");
	ssize_t n = readlink(path, t->exe, sizeof t->exe - 1);
	t->exe[n > 0 ? n : 0] = '\0';
}

/* ---- the caller --------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/* Where libc's syscall() lies in a libc file (its addresses from the
 * file's own base), found once per file: a call trapped there is a raw
 * system call, which the library does not see. */
struct syscall_range {
	char path[PATH_MAX];
	uint64_t start, end;
};
static struct syscall_range libc_seen;
static pthread_mutex_t libc_lock = PTHREAD_MUTEX_INITIALIZER;

static void find_syscall(const char *path, struct syscall_range *r)
{
	r->start = r->end = 0;
	snprintf(r->path, sizeof r->path, "%s", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	Elf_Scn *scn = NULL;
	while (e != NULL && (scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_DYNSYM)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; d != NULL && i < n; i++) {
			GElf_Sym sym;
			const char *name;
			if (gelf_getsym(d, (int)i, &sym) == NULL ||
			    sym.st_shndx == SHN_UNDEF ||
			    (name = elf_strptr(e, sh.sh_link, sym.st_name)) == NULL ||
			    strcmp(name, "syscall") != 0)
				continue;
			r->start = sym.st_value;
			r->end = sym.st_value + (sym.st_size ? sym.st_size : 1);
			break;
		}
		break;
	}
	if (e != NULL)
		elf_end(e);
	close(fd);
}

static int is_libc(const char *name)
{
	return strncmp(name, "libc.so", 7) == 0 || strncmp(name, "libc-", 5) == 0;
}

/* One line of /proc/PID/maps: its range, file offset and path ("" for
 * an anonymous mapping, "[vdso]" ...). */
struct mapping {
	uint64_t start, end, offset;
	const char *path;
};

/* Hex digits up to a byte that is not one: the value, *p past them. */
static uint64_t hex_field(const char **p)
{
	uint64_t v = 0;
	for (;; (*p)++) {
		char c = **p;
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return v;
		v = v << 4 | d;
	}
}

static const char *next_field(const char *p)
{
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	return p;
}

/* "START-END PERMS OFFSET DEV INODE   PATH", by hand: the supervisor
 * reads a process's maps at every call it judges (sscanf took most of
 * that time). */
static int parse_mapping(const char *line, struct mapping *m)
{
	const char *p = line;
	m->start = hex_field(&p);
	if (*p++ != '-')
		return -1;
	m->end = hex_field(&p);
	p = next_field(p); /* perms */
	p = next_field(p); /* offset */
	m->offset = hex_field(&p);
	p = next_field(p); /* dev */
	p = next_field(p); /* inode */
	p = next_field(p); /* path, or "" */
	m->path = p;
	return 0;
}

/* The whole of /proc/PID/maps, its lines NUL-terminated; *len bytes. */
static char *read_maps(pid_t pid, size_t *len)
{
	char path[64];
	proc_path(path, sizeof path, pid, "maps");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 16384, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (buf == NULL)
			break;
		if (cap - n < 4096) {
			char *bigger = realloc(buf, cap * 2);
			if (bigger == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (buf == NULL)
		return NULL;
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = '\0';
	*len = n;
	return buf;
}

/* What the maps told about the module one thread's calls come from, kept
 * so that its next call costs two readlinks instead of the whole map: an
 * entry is used only while that mapping, and the library's when it was
 * loaded, still map the same files at the same addresses (after an exec,
 * with address randomization, they do not). */
#define TG_KNOWN 32
struct known {
	pid_t pid;
	uint64_t start, end;         /* the mapping the calls come from */
	uint64_t bias;               /* what offsets count from */
	uint64_t lib_start, lib_end; /* a mapping of libtmpguard.so, or 0 */
	uint64_t sys_lo, sys_hi;     /* libc's syscall(), or 0 */
	char module[PATH_MAX];       /* as the maps name it */
	char lib[PATH_MAX];
};
static struct known known[TG_KNOWN];
static unsigned known_next;

static int maps_to(pid_t pid, uint64_t start, uint64_t end, const char *path)
{
	char link[96], got[PATH_MAX];
	snprintf(link, sizeof link, "/proc/%ld/map_files/%llx-%llx", (long)pid,
		 (unsigned long long)start, (unsigned long long)end);
	ssize_t n = readlink(link, got, sizeof got - 1);
	if (n <= 0)
		return 0;
	got[n] = '\0';
	return strcmp(got, path) == 0;
}

static struct known *known_find(pid_t pid, uint64_t ip)
{
	for (int i = 0; i < TG_KNOWN; i++) {
		struct known *k = &known[i];
		if (k->pid == pid && ip >= k->start && ip < k->end) {
			if (maps_to(pid, k->start, k->end, k->module) &&
			    (k->lib_start == 0 ||
			     maps_to(pid, k->lib_start, k->lib_end, k->lib)))
				return k;
			k->pid = 0; /* gone, or another program now */
			return NULL;
		}
	}
	return NULL;
}

/* From the whole map: the mapping that holds ip, its module's base, the
 * library's mapping. 0, or -1 when ip is in no file's mapping. */
static int known_learn(pid_t pid, uint64_t ip, struct known *k)
{
	size_t len;
	char *maps = read_maps(pid, &len);
	if (maps == NULL)
		return -1;
	struct mapping m;
	k->module[0] = k->lib[0] = '\0';
	k->lib_start = k->lib_end = k->sys_lo = k->sys_hi = 0;
	for (char *l = maps; l < maps + len; l += strlen(l) + 1) {
		if (parse_mapping(l, &m) < 0)
			continue;
		if (k->lib_start == 0 &&
		    strncmp(base_name(m.path), "libtmpguard", 11) == 0) {
			k->lib_start = m.start;
			k->lib_end = m.end;
			snprintf(k->lib, sizeof k->lib, "%s", m.path);
		}
		if (m.path[0] == '/' && ip >= m.start && ip < m.end) {
			k->start = m.start;
			k->end = m.end;
			snprintf(k->module, sizeof k->module, "%s", m.path);
		}
	}
	/* the module's base: its first mapping (file offset 0) */
	uint64_t base = UINT64_MAX;
	for (char *l = maps; k->module[0] && l < maps + len; l += strlen(l) + 1)
		if (parse_mapping(l, &m) == 0 && m.offset == 0 &&
		    strcmp(m.path, k->module) == 0 && m.start < base)
			base = m.start;
	free(maps);
	if (k->module[0] == '\0' || base == UINT64_MAX)
		return -1;
	/* a position-dependent program is where it was linked: its offsets
	 * are its addresses, as the library reports them (load bias 0) */
	unsigned char ehdr[EI_NIDENT + 2];
	uint16_t type = ET_DYN;
	if (tg_tracee_read(pid, base, ehdr, sizeof ehdr) == 0 &&
	    memcmp(ehdr, ELFMAG, SELFMAG) == 0)
		memcpy(&type, ehdr + EI_NIDENT, sizeof type);
	k->bias = type == ET_EXEC ? 0 : base;
	if (is_libc(base_name(k->module))) {
		struct syscall_range r;
		pthread_mutex_lock(&libc_lock);
		if (strcmp(libc_seen.path, k->module) != 0)
			find_syscall(k->module, &libc_seen);
		r = libc_seen;
		pthread_mutex_unlock(&libc_lock);
		k->sys_lo = base + r.start;
		k->sys_hi = base + r.end;
	}
	k->pid = pid;
	return 0;
}

void tg_tracee_caller(struct tracee *t, uint64_t ip)
{
	t->module[0] = '\0';
	t->offset = (uintptr_t)ip;
	t->preloaded = t->libc_wrapper = t->from_library = 0;
	struct known *k = known_find(t->pid, ip);
	if (k == NULL) {
		k = &known[known_next++ % TG_KNOWN];
		if (known_learn(t->pid, ip, k) < 0) {
			k->pid = 0;
			return;
		}
	}
	snprintf(t->module, sizeof t->module, "%s", k->module);
	t->offset = (uintptr_t)(ip - k->bias);
	t->preloaded = k->lib_start != 0;
	t->libc_wrapper = is_libc(base_name(k->module)) &&
			  !(ip >= k->sys_lo && ip < k->sys_hi);
	t->from_library = strncmp(base_name(k->module), "libtmpguard", 11) == 0;
	/* a program replaced since it started is named as the library names
	 * its own (the path it was run from) */
	static const char deleted[] = " (deleted)";
	size_t mlen = strlen(t->module);
	if (mlen > sizeof deleted - 1 &&
	    strcmp(t->module + mlen - (sizeof deleted - 1), deleted) == 0)
		t->module[mlen - (sizeof deleted - 1)] = '\0';
}

#endif /* HAVE_LIBSECCOMP */
