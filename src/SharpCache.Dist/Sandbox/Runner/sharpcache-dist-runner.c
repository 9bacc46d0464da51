/*
 * sharpcache-dist-runner: the first process of a prepared sandbox (see PreparedSandboxes.cs).
 *
 * A build server starts bubblewrap ahead of its jobs, with this program as the sandbox's command, so the
 * namespaces and mounts are ready before a job arrives. Inside, this program:
 *   1. writes one byte ('R') to stdout: the sandbox is set up (the server reads it before offering it);
 *   2. reads the job from stdin until EOF: NUL-terminated fields
 *        cwd, N (decimal), N environment entries "NAME=VALUE", the executable, its arguments (argv[1..]);
 *   3. enters cwd and executes the job with exactly that environment (the job's stdin is then at EOF).
 * A failure is reported on stderr with the prefix "sharpcache-dist-runner:" and exit code 1, which the server
 * reads as a sandbox failure (as bubblewrap's own "bwrap:" errors).
 * Linked statically: the sandbox holds the job's toolchain, not this machine's libraries.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_JOB_BYTES ((size_t)64 << 20)

static void fail(const char *what, const char *subject, int error)
{
    fprintf(stderr, "sharpcache-dist-runner: %s%s%s: %s\n", what, subject ? " " : "", subject ? subject : "", strerror(error));
    _exit(1);
}

int main(void)
{
    if (write(1, "R", 1) != 1) {
        fail("cannot signal readiness", NULL, errno);
    }

    size_t capacity = 64 * 1024, length = 0;
    char *job = malloc(capacity);
    if (job == NULL) {
        fail("cannot read the job", NULL, ENOMEM);
    }

    for (;;) {
        if (length == capacity) {
            if (capacity >= MAX_JOB_BYTES) {
                fail("cannot read the job", NULL, E2BIG);
            }
            capacity *= 2;
            char *larger = realloc(job, capacity);
            if (larger == NULL) {
                fail("cannot read the job", NULL, ENOMEM);
            }
            job = larger;
        }
        ssize_t n = read(0, job + length, capacity - length);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot read the job", NULL, errno);
        }
        if (n == 0) {
            break;
        }
        length += (size_t)n;
    }

    if (length == 0) {
        return 0; /* released unused */
    }
    if (job[length - 1] != '\0') {
        fail("malformed job", NULL, EINVAL);
    }

    size_t fields = 0;
    for (size_t i = 0; i < length; i++) {
        fields += job[i] == '\0';
    }
    char **field = calloc(fields + 1, sizeof(char *));
    if (field == NULL) {
        fail("cannot read the job", NULL, ENOMEM);
    }
    for (size_t i = 0, at = 0; i < fields; i++) {
        field[i] = job + at;
        at += strlen(job + at) + 1;
    }

    char *end = NULL;
    unsigned long envs = fields >= 2 ? strtoul(field[1], &end, 10) : 0;
    if (fields < 3 || end == field[1] || *end != '\0' || envs > fields - 3) {
        fail("malformed job", NULL, EINVAL);
    }

    /* envp and argv are slices of field[], each NULL-terminated: the entry after the environment is replaced by NULL,
       so the environment is copied first. */
    char **envp = calloc(envs + 1, sizeof(char *));
    if (envp == NULL) {
        fail("cannot read the job", NULL, ENOMEM);
    }
    memcpy(envp, field + 2, envs * sizeof(char *));
    char **argv = field + 2 + envs;

    if (chdir(field[0]) != 0) {
        fail("cannot enter", field[0], errno);
    }
    execve(argv[0], argv, envp);
    fail("cannot execute", argv[0], errno);
    return 1;
}
