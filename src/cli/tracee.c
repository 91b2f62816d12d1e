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

static int in_libc_syscall(const char *path, uint64_t vaddr)
{
	pthread_mutex_lock(&libc_lock);
	if (strcmp(libc_seen.path, path) != 0)
		find_syscall(path, &libc_seen);
	int in = vaddr >= libc_seen.start && vaddr < libc_seen.end;
	pthread_mutex_unlock(&libc_lock);
	return in;
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

static int parse_mapping(const char *line, struct mapping *m)
{
	unsigned long long s, e, off;
	int at = 0;
	if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &s, &e, &off, &at) < 3 ||
	    at == 0)
		return -1;
	m->start = s;
	m->end = e;
	m->offset = off;
	m->path = line + at;
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

void tg_tracee_caller(struct tracee *t, uint64_t ip)
{
	t->module[0] = '\0';
	t->offset = (uintptr_t)ip;
	t->preloaded = t->libc_wrapper = t->from_library = 0;
	size_t len;
	char *maps = read_maps(t->pid, &len);
	if (maps == NULL)
		return;
	struct mapping m;
	for (char *l = maps; l < maps + len; l += strlen(l) + 1) {
		if (parse_mapping(l, &m) < 0)
			continue;
		if (strncmp(base_name(m.path), "libtmpguard", 11) == 0)
			t->preloaded = 1;
		if (m.path[0] == '/' && ip >= m.start && ip < m.end)
			snprintf(t->module, sizeof t->module, "%s", m.path);
	}
	/* the module's base: its first mapping (file offset 0) */
	uint64_t base = UINT64_MAX;
	for (char *l = maps; t->module[0] && l < maps + len; l += strlen(l) + 1)
		if (parse_mapping(l, &m) == 0 && m.offset == 0 &&
		    strcmp(m.path, t->module) == 0 && m.start < base)
			base = m.start;
	free(maps);
	if (t->module[0] == '\0' || base == UINT64_MAX)
		return;
	/* a position-dependent program is where it was linked: its offsets
	 * are its addresses, as the library reports them (load bias 0) */
	unsigned char ehdr[EI_NIDENT + 2];
	uint16_t type = ET_DYN;
	if (tg_tracee_read(t->pid, base, ehdr, sizeof ehdr) == 0 &&
	    memcmp(ehdr, ELFMAG, SELFMAG) == 0)
		memcpy(&type, ehdr + EI_NIDENT, sizeof type);
	if (type != ET_EXEC)
		t->offset = (uintptr_t)(ip - base);
	if (is_libc(base_name(t->module)))
		t->libc_wrapper = !in_libc_syscall(t->module, ip - base);
	t->from_library = strncmp(base_name(t->module), "libtmpguard", 11) == 0;
	/* a program replaced since it started is named as the library names
	 * its own (the path it was run from) */
	static const char deleted[] = " (deleted)";
	size_t mlen = strlen(t->module);
	if (mlen > sizeof deleted - 1 &&
	    strcmp(t->module + mlen - (sizeof deleted - 1), deleted) == 0)
		t->module[mlen - (sizeof deleted - 1)] = '\0';
}

#endif /* HAVE_LIBSECCOMP */
