namespace Pipelines.Bench;

/// <summary>
/// NumPy's legacy <c>RandomState</c> for the draws scikit-learn's <c>make_blobs</c> makes, so that
/// <c>random_state=2</c> gives the very data set the reference experiment used: the Mersenne Twister MT19937 seeded
/// as <c>init_genrand</c>, 53-bit doubles from two 32-bit words, the polar Box-Muller <c>legacy_gauss</c> (which
/// keeps its second value for the next call), and the Fisher-Yates <c>shuffle</c> with masked rejection sampling.
/// </summary>
sealed class NumpyRandomState
{
    const int N = 624, M = 397;
    readonly uint[] _state = new uint[N];
    int _index;
    double? _gauss;

    public NumpyRandomState(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < N; i++) _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        _index = N;
    }

    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        return y ^ (y >> 18);
    }

    void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7fffffffu);
            _state[i] = _state[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0);
        }
        _index = 0;
    }

    /// <summary><c>random_sample()</c>: a double in [0, 1) from 27 + 26 random bits.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>uniform(low, high)</c>.</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary><c>standard_normal()</c> as the legacy generator draws it (polar method, second value cached).</summary>
    public double Gauss()
    {
        if (_gauss is { } cached)
        {
            _gauss = null;
            return cached;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2 * NextDouble() - 1;
            x2 = 2 * NextDouble() - 1;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1 || r2 == 0);
        double f = Math.Sqrt(-2 * Math.Log(r2) / r2);
        _gauss = f * x1;
        return f * x2;
    }

    /// <summary><c>shuffle(x)</c> of a 1-D array: from the last index down, swap with a uniform index at or below it.</summary>
    public void Shuffle<T>(T[] items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)Interval((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    // A uniform integer in [0, max]: 32-bit draws masked to the smallest all-ones mask covering max, rejected above it.
    uint Interval(uint max)
    {
        if (max == 0) return 0;
        uint mask = max;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16;
        uint value;
        while ((value = NextUInt32() & mask) > max) { }
        return value;
    }
}
