/*
 * args_env — show what the host passed in argv and the environment.
 *
 * Output (stdout):
 *   argc=N
 *   argv[0]=...
 *   argv[1]=...
 *   env NAME=VALUE        (one per variable, sorted by strcmp)
 *   env count=K
 *
 * Exercises args_sizes_get/args_get and environ_sizes_get/environ_get.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);

    /* Copy the environ pointers so we can sort them without touching libc's table. */
    size_t n = 0;
    while (environ && environ[n]) n++;
    char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted) { perror("malloc"); return 1; }
    for (size_t i = 0; i < n; i++) sorted[i] = environ[i];
    qsort(sorted, n, sizeof *sorted, cmp_str);

    for (size_t i = 0; i < n; i++)
        printf("env %s\n", sorted[i]);
    printf("env count=%zu\n", n);
    free(sorted);
    return 0;
}
