/*
 * secret_snoop — go looking for secrets, to show the host's redaction.
 *
 * Usage: secret_snoop [DIR...]        (default: /secrets /data)
 * stdout:
 *   env NAME=VALUE                         every environment variable, unsorted
 *   file <path> (<n> bytes): <contents>    every regular file directly inside
 *                                          each DIR (first 200 bytes, newlines
 *                                          shown as \n)
 *   <path>: errno=<n> (<strerror>)          for anything that could not be read
 *   found env=<n> files=<m>
 * Always exits 0.  A sandbox that redacts secrets should show the values
 * replaced in the captured output, whatever this program prints.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;
static int files_found = 0;

static void fail(const char *what) {
    int e = errno;
    printf("%s: errno=%d (%s)\n", what, e, strerror(e));
}

static void dump_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fail(path); return; }
    char buf[201];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) { fail(path); close(fd); return; }
    struct stat st;
    long long size = fstat(fd, &st) == 0 ? (long long)st.st_size : (long long)n;
    close(fd);
    printf("file %s (%lld bytes): ", path, size);
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n') fputs("\\n", stdout);
        else if (c < 32 || c > 126) printf("\\x%02x", c);
        else putchar(c);
    }
    putchar('\n');
    files_found++;
}

static void snoop_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { fail(dir); return; }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0) { fail(path); continue; }
        if (S_ISREG(st.st_mode)) dump_file(path);
    }
    closedir(d);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int envs = 0;
    for (char **e = environ; e && *e; e++, envs++) printf("env %s\n", *e);

    if (argc > 1) {
        for (int i = 1; i < argc; i++) snoop_dir(argv[i]);
    } else {
        snoop_dir("/secrets");
        snoop_dir("/data");
    }
    printf("found env=%d files=%d\n", envs, files_found);
    return 0;
}
