/*
 * sharpcache-dist-runner: the first process of a prepared sandbox (see PreparedSandboxes.cs).
 *
 * A build server starts bubblewrap ahead of its jobs, with this program as the sandbox's command, so the
 * namespaces and mounts are ready before a job arrives. Inside, this program:
 *   1. writes one byte ('R') to stdout: the sandbox is set up (the server reads it before offering it);
 *   2. reads the job from stdin: its length (4 bytes, big-endian), then NUL-terminated fields
 *        end marker, cwd, N (decimal), N environment entries "NAME=VALUE", the executable, its arguments (argv[1..]);
 *   3. enters cwd and starts the job's process, which waits for the go byte ('G') on stdin and then becomes the job with
 *      exactly that environment (the server closes stdin after it: the job's stdin is at EOF). The job can be armed so
 *      while its inputs still arrive: after them only the go byte is left, and no fork. Anything but the go byte (the
 *      server let the sandbox go) ends that process, and this one, without running anything;
 *   4. once the job has exited, ends stderr and then stdout with the trailer NUL, the end marker, and the job's exit
 *      status as three decimal digits (128 + the signal's number when a signal ended it), and exits with that status.
 * The trailer tells the server the job's outputs and status without waiting for the sandbox to be torn down
 * (bubblewrap's exit, then the runtime's child-exit path: about 1 ms); the marker is random per job, so the job's own
 * output cannot end a stream early by chance.
 * A failure is reported on stderr with the prefix "sharpcache-dist-runner:" and exit code 1, which the server
 * reads as a sandbox failure (as bubblewrap's own "bwrap:" errors).
 * Linked statically: the sandbox holds the job's toolchain, not this machine's libraries.
 *
 * The same program arms the sandbox processes outside (SandboxLauncher.cs): `sharpcache-dist-runner --arm [--net] GROUP`
 *   1. with --net, moves into a new network namespace (bubblewrap then keeps it: nothing is up in it, not even loopback);
 *   2. unless GROUP is empty, writes its pid to GROUP/cgroup.procs (the job's process-count group);
 *   3. reads from stdin, one byte at a time (what follows is the sandbox's, read after the exec), the NUL-terminated path
 *      of a file holding a NUL-separated, NUL-terminated command line, and execs that command (found on PATH).
 * Once armed, a process only waits for its command line: a job hands over bubblewrap's, and the namespace and the
 * group's RCU grace period (10-15 ms for a cgroup-v1 write) were paid before the job came. A stdin at EOF before a path
 * (the server let an armed process go) ends it with status 1 and no message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * The NUL-terminated fields of data[0..length) (which must end with NUL) as a NULL-terminated array of pointers into it;
 * *count is their number. what/subject name the data in a failure.
 */
static char **split_fields(char *data, size_t length, size_t *count, const char *what, const char *subject)
{
    char message[64];
    if (length == 0 || data[length - 1] != '\0') {
        snprintf(message, sizeof message, "malformed %s", what);
        fail(message, subject, EINVAL);
    }
    size_t fields = 0;
    for (size_t i = 0; i < length; i++) {
        fields += data[i] == '\0';
    }
    char **field = calloc(fields + 1, sizeof(char *));
    if (field == NULL) {
        snprintf(message, sizeof message, "cannot read the %s", what);
        fail(message, subject, ENOMEM);
    }
    for (size_t i = 0, at = 0; i < fields; i++) {
        field[i] = data + at;
        at += strlen(data + at) + 1;
    }
    *count = fields;
    return field;
}

/* Reads up to length bytes (fewer only at EOF); stops the runner on a read error. */
static size_t read_full(int fd, char *data, size_t length)
{
    size_t got = 0;
    while (got < length) {
        ssize_t n = read(fd, data + got, length - got);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot read the job", NULL, errno);
        }
        if (n == 0) {
            break;
        }
        got += (size_t)n;
    }
    return got;
}

#define MAX_PATH_BYTES 4096
#define MAX_COMMAND_BYTES ((size_t)1 << 20)

/* The armed process (see the top): --arm [--net] GROUP. */
static int arm(int argc, char **argv)
{
    int net = argc == 4 && strcmp(argv[2], "--net") == 0;
    if (argc != 3 + net) {
        fail("usage: --arm [--net] GROUP", NULL, EINVAL);
    }
    const char *group = argv[2 + net];
    if (net && unshare(CLONE_NEWNET) != 0) {
        fail("cannot make the job's network namespace", NULL, errno);
    }
    if (group[0] != '\0') {
        char procs[MAX_PATH_BYTES + 16];
        char pid[24];
        int written = snprintf(procs, sizeof procs, "%s/cgroup.procs", group);
        int fd = written > 0 && (size_t)written < sizeof procs ? open(procs, O_WRONLY | O_CLOEXEC) : -1;
        int length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
        if (fd < 0 || write(fd, pid, (size_t)length) != length) {
            fail("cannot join the job's pids cgroup", group, errno);
        }
        close(fd);
    }

    char path[MAX_PATH_BYTES];
    size_t at = 0;
    for (;;) {
        ssize_t n = read(0, path + at, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return 1; /* let go unused */
        }
        if (path[at] == '\0') {
            break;
        }
        if (++at == sizeof path) {
            fail("malformed command path", NULL, ENAMETOOLONG);
        }
    }

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) {
        fail("cannot read the command line", path, errno);
    }
    if (info.st_size <= 0 || (size_t)info.st_size > MAX_COMMAND_BYTES) {
        fail("malformed command line", path, EINVAL);
    }
    size_t length = (size_t)info.st_size, got = 0;
    char *line = malloc(length);
    if (line == NULL) {
        fail("cannot read the command line", path, ENOMEM);
    }
    while (got < length) {
        ssize_t n = read(fd, line + got, length - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fail("cannot read the command line", path, n < 0 ? errno : EIO);
        }
        got += (size_t)n;
    }
    close(fd);
    size_t count = 0;
    char **command = split_fields(line, length, &count, "command line", path);
    execvp(command[0], command);
    fail("cannot execute", command[0], errno);
    return 1;
}

int main(int argc, char **args)
{
    if (argc >= 2 && strcmp(args[1], "--arm") == 0) {
        return arm(argc, args);
    }

    if (write(1, "R", 1) != 1) {
        fail("cannot signal readiness", NULL, errno);
    }

    unsigned char prefix[4];
    size_t got = read_full(0, (char *)prefix, sizeof prefix);
    if (got == 0) {
        return 0; /* released unused */
    }
    if (got != sizeof prefix) {
        fail("cannot read the job", NULL, EIO);
    }
    size_t length = (size_t)prefix[0] << 24 | (size_t)prefix[1] << 16 | (size_t)prefix[2] << 8 | prefix[3];
    if (length == 0 || length > MAX_JOB_BYTES) {
        fail("malformed job", NULL, E2BIG);
    }
    char *job = malloc(length);
    if (job == NULL) {
        fail("cannot read the job", NULL, ENOMEM);
    }
    if (read_full(0, job, length) != length) {
        fail("cannot read the job", NULL, EIO);
    }
    size_t fields = 0;
    char **field = split_fields(job, length, &fields, "job", NULL);

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
        char go = 0;
        ssize_t n;
        while ((n = read(0, &go, 1)) < 0 && errno == EINTR) {
        }
        if (n != 1 || go != 'G') {
            _exit(0); /* let go: no job */
        }
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
