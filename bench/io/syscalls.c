/*
 * syscalls — a syscall-heavy program, for measuring the cost of per-call auditing.
 *
 * Usage: syscalls [N]   (default 200000)
 * Opens /tmp/log.bin and, N times, writes 16 bytes, seeks back 8 and reads 8 (3 WASI calls per
 * round), then prints a checksum of what it read. Needs a read-write mount at /tmp.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    int fd = open("/tmp/log.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror("open /tmp/log.bin");
        return 1;
    }
    unsigned char block[16], back[8];
    unsigned long sum = 0;
    for (long i = 0; i < n; i++) {
        for (int k = 0; k < 16; k++) block[k] = (unsigned char)(i + k);
        if (write(fd, block, sizeof block) != sizeof block) return 2;
        if (lseek(fd, -8, SEEK_CUR) < 0) return 3;
        if (read(fd, back, sizeof back) != sizeof back) return 4;
        for (int k = 0; k < 8; k++) sum = sum * 31 + back[k];
    }
    close(fd);
    printf("syscalls rounds=%ld checksum=%lu\n", n, sum);
    return 0;
}
