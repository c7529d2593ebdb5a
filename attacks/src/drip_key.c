/*
 * drip_key — try to get a secret past the output gate by writing it one byte at a time.
 *
 * A gate that scans each write on its own (or each write with what came before) sees no whole
 * AWS access key until the last byte, and by then it has released the first 19. The key is the
 * fake one from AWS's documentation. Between bytes the program sleeps 1 ms, so that each byte is
 * its own write reaching the page, not part of a batch.
 *
 * stdout (what the program writes; the gate must release only the first line and "key="):
 *   dripping a key one byte at a time
 *   key=AKIAIOSFODNN7EXAMPLE
 *   done
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

static void say(const char *text) {
    write(1, text, strlen(text));
}

int main(void) {
    const char *key = "AKIAIOSFODNN7EXAMPLE";
    const struct timespec pause = {0, 1000000};
    say("dripping a key one byte at a time\n");
    say("key=");
    for (const char *p = key; *p != '\0'; p++) {
        write(1, p, 1);
        nanosleep(&pause, NULL);
    }
    say("\n");
    say("done\n");
    return 0;
}
