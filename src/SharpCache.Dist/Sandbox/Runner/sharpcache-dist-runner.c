/*
 * sharpcache-dist-runner: the first process of a prepared sandbox (see PreparedSandboxes.cs).
 *
 * A build server starts bubblewrap ahead of its jobs, with this program as the sandbox's command, so the
 * namespaces and mounts are ready before a job arrives. Inside, this program:
 *   1. writes one byte ('R') to stdout: the sandbox is set up (the server reads it before offering it);
 *   2. reads the job from stdin until EOF: NUL-terminated fields
 *        end marker, cwd, N (decimal), N environment entries "NAME=VALUE", the executable, its arguments (argv[1..]);
 *   3. enters cwd and runs the job as its child with exactly that environment (the job's stdin is then at EOF);
 *   4. once the job has exited, ends stderr and then stdout with the trailer NUL, the end marker, and the job's exit
 *      status as three decimal digits (128 + the signal's number when a signal ended it), and exits with that status.
 * The trailer tells the server the job's outputs and status without waiting for the sandbox to be torn down
 * (bubblewrap's exit, then the runtime's child-exit path: about 1 ms); the marker is random per job, so the job's own
 * output cannot end a stream early by chance.
 * A failure is reported on stderr with the prefix "sharpcache-dist-runner:" and exit code 1, which the server
 * reads as a sandbox failure (as bubblewrap's own "bwrap:" errors).
 * Linked statically: the sandbox holds the job's toolchain, not this machine's libraries.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOB_BYTES ((size_t)64 << 20)
#define MAX_MARKER_BYTES 64

static void fail(const char *what, const char *subject, int error)
{
    fprintf(stderr, "sharpcache-dist-runner: %s%s%s: %s\n", what, subject ? " " : "", subject ? subject : "", strerror(error));
    _exit(1);
}

static void write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return; /* the server went away: nothing to tell */
        }
        data += n;
        length -= (size_t)n;
    }
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

    /* The end marker comes first; the rest is the job. */
    const char *marker = field[0];
    size_t marker_length = strlen(marker);
    if (fields < 4 || marker_length == 0 || marker_length > MAX_MARKER_BYTES) {
        fail("malformed job", NULL, EINVAL);
    }
    field++;
    fields--;

    char *end = NULL;
    unsigned long envs = strtoul(field[1], &end, 10);
    if (end == field[1] || *end != '\0' || envs > fields - 3) {
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

    fflush(NULL);
    pid_t child = fork();
    if (child < 0) {
        fail("cannot start", argv[0], errno);
    }
    if (child == 0) {
        execve(argv[0], argv, envp);
        fail("cannot execute", argv[0], errno);
    }

    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            fail("cannot wait for", argv[0], errno);
        }
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
    if (code > 255) {
        code = 255;
    }

    char trailer[1 + MAX_MARKER_BYTES + 3];
    trailer[0] = '\0';
    memcpy(trailer + 1, marker, marker_length);
    trailer[1 + marker_length] = (char)('0' + code / 100);
    trailer[2 + marker_length] = (char)('0' + code / 10 % 10);
    trailer[3 + marker_length] = (char)('0' + code % 10);
    write_all(2, trailer, marker_length + 4);
    write_all(1, trailer, marker_length + 4);
    _exit(code);
}
