/* dl_iterate_phdr must list the vDSO ("linux-vdso.so.1") at AT_SYSINFO_EHDR,
 * and the kernel's own [vdso] must be gone from /proc/self/maps (or be
 * elsewhere).  Prints what it found; exit 0 if all holds. */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static unsigned long found;

static int cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	const ElfW(Phdr) *ph = info->dlpi_phdr;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		if (ph[i].p_type != PT_DYNAMIC)
			continue;
		/* The soname from the object's own dynamic section. */
		const ElfW(Dyn) *d = (const ElfW(Dyn) *)(info->dlpi_addr + ph[i].p_vaddr);
		const char *strtab = NULL;
		unsigned long soname = 0;
		int has_soname = 0;
		for (; d->d_tag != DT_NULL; d++) {
			if (d->d_tag == DT_STRTAB)
				strtab = (const char *)d->d_un.d_ptr;
			if (d->d_tag == DT_SONAME) {
				soname = d->d_un.d_val;
				has_soname = 1;
			}
		}
		if (!strtab || !has_soname)
			continue;
		/* ld.so relocates DT_STRTAB of loaded objects, but not always the vDSO's. */
		if ((unsigned long)strtab < info->dlpi_addr)
			strtab += info->dlpi_addr;
		const char *name = strtab + soname;
		printf("object %s at 0x%lx (dlpi_name \"%s\")\n", name, (unsigned long)info->dlpi_addr, info->dlpi_name);
		if (strcmp(name, "linux-vdso.so.1") == 0)
			found = info->dlpi_addr;
	}
	return 0;
}

int main(void)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);
	dl_iterate_phdr(cb, NULL);
	unsigned long kvdso = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, "[vdso]"))
			sscanf(line, "%lx", &kvdso);
	printf("AT_SYSINFO_EHDR 0x%lx, linux-vdso.so.1 at 0x%lx, kernel [vdso] %s0x%lx\n", ehdr, found,
	       kvdso ? "at " : "gone ", kvdso);
	return ehdr && found == ehdr && kvdso != ehdr ? 0 : 1;
}
