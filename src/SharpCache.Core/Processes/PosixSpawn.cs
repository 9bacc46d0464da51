using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpCache.Core.Processes;

/// <summary>
/// Starts a process with <c>posix_spawn</c> and reads its stdout and stderr on the calling thread with <c>poll</c> (Linux).
/// <see cref="System.Diagnostics.Process"/> costs a compile wrapper more than the start itself: its first use installs
/// signal handlers and starts a signal-handling thread, each start queries and resets every signal in the child
/// (130 system calls between vfork and exec), and reading stderr beside stdout takes a thread of its own. The child gets
/// this process's environment, every signal at its default and none blocked (SIGPIPE too, which .NET ignores and
/// <see cref="System.Diagnostics.Process"/> left ignored in its children), no descriptor of ours beyond 0-2 (ours are all
/// close-on-exec), and, as with Process, an exit code of 128 + N when killed by signal N.
/// </summary>
internal static unsafe partial class PosixSpawn
{
    private const int OCloexec = 0x80000;
    private const int FSetPipeSize = 1031;
    private const short SpawnSetSigDefault = 0x04;
    private const short SpawnSetSigMask = 0x08;
    private const short PollIn = 0x001;
    private const int EIntr = 4;
    private const int ENoEnt = 2;
    private const int XOk = 1;
    private const int SigChld = 17;
    private const nint MfdCloexec = 1;

    /// <summary>Bytes reserved for glibc's opaque types (posix_spawn_file_actions_t: 80, posix_spawnattr_t: 336, sigset_t: 128).</summary>
    private const int OpaqueSize = 512;

    /// <summary>
    /// Whether <see cref="Run"/> can start a process in <paramref name="workingDirectory"/>: on Linux, with libc's
    /// <c>environ</c> found, in this process's own directory (a child elsewhere needs <c>posix_spawn_file_actions_addchdir_np</c>,
    /// glibc 2.29, newer than what .NET supports: such rare starts go through <see cref="System.Diagnostics.Process"/>).
    /// </summary>
    public static bool CanRun(string workingDirectory) =>
        OperatingSystem.IsLinux() && EnvironAddress.Value != 0
        && string.Equals(Path.GetFullPath(workingDirectory), Environment.CurrentDirectory, StringComparison.Ordinal);

    /// <summary>
    /// Runs <paramref name="executable"/> (a path, or a name looked up in <c>PATH</c>) in this process's working directory
    /// (<see cref="CanRun"/>).
    /// With <paramref name="onStdout"/>/<paramref name="onStderr"/> null, that stream is inherited; otherwise each chunk is
    /// handed over as it arrives, or, for stderr with <paramref name="stderrAfterExit"/>, once the process has exited.
    /// Returns the exit code (128 + N for signal N). A process that cannot be started throws
    /// <see cref="Win32Exception"/>, as <see cref="System.Diagnostics.Process.Start()"/> does.
    /// </summary>
    /// <remarks>
    /// stderr is unbuffered in C programs: gcc's driver and cc1 write each piece of a line apart (<c>gcc -v -E</c>, which
    /// the preprocessor run for direct mode is, makes about 40 writes), and through a pipe each write woke this process
    /// beside the compiler. With <paramref name="stderrAfterExit"/> stderr goes to an in-memory file (<c>memfd_create</c>),
    /// read once the process is gone; where there is none (not Linux x64/arm64, or the call is refused), to a pipe as before.
    /// </remarks>
    public static int Run(string executable, IReadOnlyList<string> arguments, Action<ReadOnlySpan<byte>>? onStdout, Action<ReadOnlySpan<byte>>? onStderr, bool stderrAfterExit = false, Action? onStdoutEnd = null)
    {
        ArgumentNullException.ThrowIfNull(executable);
        ArgumentNullException.ThrowIfNull(arguments);
        EnsureChildrenAreReported();

        // argv[0] is the file's path, as Process gives it.
        var file = Resolve(executable) ?? throw new Win32Exception(ENoEnt, "cannot find " + executable);
        var strings = new List<string>(arguments.Count + 1) { file };
        strings.AddRange(arguments);
        var block = StringBlock(strings, out var offsets);
        var argv = (byte**)NativeMemory.Alloc((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        var pipes = stackalloc int[4] { -1, -1, -1, -1 };
        try
        {
            fixed (byte* strings0 = block)
            {
                for (var i = 0; i < strings.Count; i++)
                {
                    argv[i] = strings0 + offsets[i];
                }

                argv[strings.Count] = null;
                var stderrFile = onStderr is not null && stderrAfterExit ? MemoryFile() : -1;
                if (stderrFile >= 0)
                {
                    pipes[3] = stderrFile; // the child's stderr; read back through the same descriptor
                }

                if ((onStdout is not null && Pipe2(pipes, OCloexec) != 0) || (onStderr is not null && stderrFile < 0 && Pipe2(pipes + 2, OCloexec) != 0))
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError());
                }

                if (pipes[0] >= 0)
                {
                    // Room for a preprocessor's output to run ahead of our reading (64 KiB by default; the system's
                    // limit, 1 MiB unless raised, applies): a preprocessor blocked on a full pipe waits for us.
                    _ = Fcntl(pipes[0], FSetPipeSize, 1 << 20);
                }

                var pid = Start(argv[0], argv, pipes);

                // The write ends belong to the child now.
                CloseIfOpen(ref pipes[1]);
                if (stderrFile < 0)
                {
                    CloseIfOpen(ref pipes[3]);
                }

                Pump(pipes, onStdout, onStderr, onStdoutEnd);
                var exitCode = Wait(pid);
                if (stderrFile >= 0)
                {
                    ReadBack(stderrFile, onStderr!);
                }

                return exitCode;
            }
        }
        finally
        {
            for (var i = 0; i < 4; i++)
            {
                CloseIfOpen(ref pipes[i]);
            }

            NativeMemory.Free(argv);
        }
    }

    private static int Start(byte* file, byte** argv, int* pipes)
    {
        var actions = stackalloc byte[OpaqueSize];
        var attributes = stackalloc byte[OpaqueSize];
        var noSignals = stackalloc byte[OpaqueSize];
        var allSignals = stackalloc byte[OpaqueSize];
        PosixSpawnFileActionsInit(actions);
        PosixSpawnattrInit(attributes);
        try
        {
            if (pipes[1] >= 0)
            {
                PosixSpawnFileActionsAdddup2(actions, pipes[1], 1);
            }

            if (pipes[3] >= 0)
            {
                PosixSpawnFileActionsAdddup2(actions, pipes[3], 2);
            }

            SigEmptySet(noSignals);
            SigFillSet(allSignals);
            PosixSpawnattrSetsigmask(attributes, noSignals);
            PosixSpawnattrSetsigdefault(attributes, allSignals);
            PosixSpawnattrSetflags(attributes, SpawnSetSigDefault | SpawnSetSigMask);
            int pid;
            var error = Spawn(&pid, file, actions, attributes, argv, Environ());
            if (error != 0)
            {
                throw new Win32Exception(error);
            }

            return pid;
        }
        finally
        {
            PosixSpawnFileActionsDestroy(actions);
            PosixSpawnattrDestroy(attributes);
        }
    }

    /// <summary>Reads both pipes until each reaches its end, on this thread; <paramref name="onStdoutEnd"/> runs at stdout's.</summary>
    private static void Pump(int* pipes, Action<ReadOnlySpan<byte>>? onStdout, Action<ReadOnlySpan<byte>>? onStderr, Action? onStdoutEnd)
    {
        const int Size = 128 * 1024;
        var buffer = (byte*)NativeMemory.Alloc(Size);
        try
        {
            var fds = stackalloc PollFd[2];
            while (true)
            {
                var count = 0;
                if (pipes[0] >= 0)
                {
                    fds[count++] = new PollFd { Fd = pipes[0], Events = PollIn };
                }

                if (pipes[2] >= 0)
                {
                    fds[count++] = new PollFd { Fd = pipes[2], Events = PollIn };
                }

                if (count == 0)
                {
                    return;
                }

                if (Poll(fds, (nuint)count, -1) < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EIntr)
                    {
                        continue;
                    }

                    throw new Win32Exception(errno);
                }

                for (var i = 0; i < count; i++)
                {
                    if (fds[i].Revents == 0)
                    {
                        continue;
                    }

                    var isStdout = fds[i].Fd == pipes[0];
                    var n = Read(fds[i].Fd, buffer, Size);
                    if (n > 0)
                    {
                        (isStdout ? onStdout : onStderr)!(new ReadOnlySpan<byte>(buffer, (int)n));
                    }
                    else if (n == 0 || Marshal.GetLastPInvokeError() != EIntr)
                    {
                        CloseIfOpen(ref pipes[isStdout ? 0 : 2]);
                        if (isStdout && n == 0)
                        {
                            onStdoutEnd?.Invoke();
                        }
                    }
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>An in-memory file (close-on-exec), or -1 where there is none.</summary>
    private static int MemoryFile()
    {
        // memfd_create through syscall(2): glibc has its wrapper only since 2.27.
        long number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 319,
            Architecture.Arm64 => 279,
            _ => -1,
        };
        if (!OperatingSystem.IsLinux() || number < 0)
        {
            return -1;
        }

        var name = "sharpcache-stderr\0"u8;
        fixed (byte* namePointer = name)
        {
            return (int)Syscall(number, (nint)namePointer, MfdCloexec);
        }
    }

    /// <summary>Hands over what the child wrote to <paramref name="file"/> (from its start), in chunks.</summary>
    private static void ReadBack(int file, Action<ReadOnlySpan<byte>> onData)
    {
        const int Size = 64 * 1024;
        var buffer = stackalloc byte[Size];
        long offset = 0;
        while (true)
        {
            var n = PRead(file, buffer, Size, offset);
            if (n > 0)
            {
                onData(new ReadOnlySpan<byte>(buffer, (int)n));
                offset += n;
            }
            else if (n == 0 || Marshal.GetLastPInvokeError() != EIntr)
            {
                return;
            }
        }
    }

    private static int Wait(int pid)
    {
        int status;
        while (WaitPid(pid, &status, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                throw new Win32Exception(errno, "waitpid");
            }
        }

        // WIFEXITED: the low 7 bits are 0; then WEXITSTATUS. Otherwise killed by the signal in those bits.
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>
    /// A parent that ignored SIGCHLD makes the kernel reap our children itself, and waitpid could not tell their exit
    /// code: the default disposition is restored (only if it was "ignore"; a handler .NET installed stays).
    /// </summary>
    private static void EnsureChildrenAreReported()
    {
        var action = stackalloc byte[OpaqueSize];
        if (SigAction(SigChld, null, action) == 0 && *(nint*)action == 1)
        {
            Signal(SigChld, 0);
        }
    }

    /// <summary>
    /// The file to run: a path with a slash as it is (relative ones against our working directory, not the child's); a bare
    /// name in the directories of <c>PATH</c>, the first executable file (execvp's rule); null when there is none.
    /// </summary>
    private static string? Resolve(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return Path.GetFullPath(executable);
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(directory.Length == 0 ? "." : directory, executable);
            if (File.Exists(candidate) && Access(candidate, XOk) == 0)
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    /// <summary>The strings, UTF-8 and NUL-terminated, in one block; <paramref name="offsets"/>: where each starts.</summary>
    private static byte[] StringBlock(List<string> strings, out int[] offsets)
    {
        offsets = new int[strings.Count];
        var size = 0;
        for (var i = 0; i < strings.Count; i++)
        {
            offsets[i] = size;
            size += Encoding.UTF8.GetByteCount(strings[i]) + 1;
        }

        var block = new byte[size];
        for (var i = 0; i < strings.Count; i++)
        {
            Encoding.UTF8.GetBytes(strings[i], block.AsSpan(offsets[i]));
        }

        return block;
    }

    private static void CloseIfOpen(ref int fd)
    {
        if (fd >= 0)
        {
            Close(fd);
            fd = -1;
        }
    }

    /// <summary>libc's <c>environ</c>: this process's environment as it started (the client never changes its own).</summary>
    private static byte** Environ() => *(byte***)EnvironAddress.Value;

    private static readonly Lazy<nint> EnvironAddress = new(() =>
        NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "environ", out var address) ? address : 0);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int PosixSpawnFileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int PosixSpawnFileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int PosixSpawnFileActionsAdddup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int PosixSpawnattrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int PosixSpawnattrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int PosixSpawnattrSetflags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int PosixSpawnattrSetsigmask(void* attributes, void* set);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int PosixSpawnattrSetsigdefault(void* attributes, void* set);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(void* set);

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int SigAction(int signal, void* action, void* oldAction);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    private static partial int Spawn(int* pid, byte* file, void* actions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, nint argument1, nint argument2);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
