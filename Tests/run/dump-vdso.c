/* Writes this process's [vdso] mapping (the running kernel's vDSO image) to argv[1]. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: dump-vdso OUT\n");
		return 2;
	}
	FILE *m = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo = 0, hi = 0;
	while (m && fgets(line, sizeof line, m))
		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			break;
	if (!lo) {
		fprintf(stderr, "dump-vdso: no [vdso] mapping\n");
		return 1;
	}
	FILE *o = fopen(argv[1], "wb");
	if (!o || fwrite((void *)lo, 1, hi - lo, o) != hi - lo || fclose(o)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
