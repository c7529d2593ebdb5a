/*
 * cloud_key — print strings that look like leaked credentials.
 *
 * Used to demonstrate output redaction of secret-looking tokens.  Both
 * values are FAKE: the AWS key is the one AWS itself uses in its docs
 * ("AKIA" + 16 upper-case letters/digits), and the GitHub token is
 * "ghp_" + 36 characters spelling out that it is an example.
 *
 * stdout:
 *   aws_access_key_id=AKIAIOSFODNN7EXAMPLE
 *   github_token=ghp_EXAMPLEFAKETOKEN0123456789abcdefghij
 *   done
 */
#include <stdio.h>

int main(void) {
    puts("aws_access_key_id=AKIAIOSFODNN7EXAMPLE");
    puts("github_token=ghp_EXAMPLEFAKETOKEN0123456789abcdefghij");
    puts("done");
    return 0;
}
