namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>Small C and C++ translation units written on the fly.</summary>
public static class Sources
{
    public const string C = """
        #include <stdio.h>
        #include "config.h"
        #ifndef EXTRA
        #define EXTRA 0
        #endif

        static int square(int x) { return x * x; }

        int compute(int n)
        {
            int total = 0;
            for (int i = 0; i < n; i++) total += square(i) + VALUE + EXTRA;
            return total;
        }

        int main(void) { printf("%d\n", compute(10)); return 0; }
        """;

    public const string Config = "#define VALUE 1\n";

    public const string Cpp = """
        #include <string>
        #include <vector>
        #include <numeric>

        template <typename T> T sum(const std::vector<T>& v) { return std::accumulate(v.begin(), v.end(), T{}); }

        int run(int n)
        {
            std::vector<int> v(n);
            std::iota(v.begin(), v.end(), 1);
            std::string s = std::to_string(sum(v));
            return static_cast<int>(s.size());
        }
        """;

    /// <summary>Writes src.c + config.h (or src.cpp) into the work dir; returns the source name.</summary>
    public static string WriteFor(TestEnvironment env, string compiler)
    {
        if (compiler.EndsWith("++", StringComparison.Ordinal))
        {
            env.Write("src.cpp", Cpp);
            return "src.cpp";
        }

        env.Write("config.h", Config);
        env.Write("src.c", C);
        return "src.c";
    }

    /// <summary>A unit with a unique function name so that each file has its own entry.</summary>
    public static string Numbered(int i) => $$"""
        #include "common.h"
        int func_{{i}}(int x) { int r = COMMON_BASE; for (int k = 0; k < x; k++) r += k * {{i + 1}}; return r; }
        """;
}
