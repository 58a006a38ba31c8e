namespace Pipelines.AutoML.Tuners;

/// <summary>The Gaussian kernel cut to the unit interval that TPE's Parzen estimators are built from.</summary>
internal static class TruncatedNormal
{
    static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>log(1 / (sigma sqrt(2 pi) Z)), Z being the kernel's mass inside [0,1]: add -z^2/2 to get the log density.</summary>
    public static double LogScale(double centre, double sigma) => -Math.Log(sigma * MassInside(centre, sigma)) - LogSqrtTwoPi;

    /// <summary>The probability a Gaussian puts on [0,1]; a narrow kernel well inside keeps all of it (this saves most erfc calls).</summary>
    public static double MassInside(double centre, double sigma)
    {
        double upper = (1 - centre) / sigma, lower = -centre / sigma;
        if (upper > 9 && lower < -9) return 1;
        return NormalCdf(upper) - NormalCdf(lower);
    }

    /// <summary>A draw by rejection, cheap because a centre in [0,1] with sigma at most 1 keeps at least 34% of its mass inside.</summary>
    public static double Sample(Random random, double centre, double sigma)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            double x = centre + sigma * UnitCube.NextGaussian(random);
            if (x >= 0 && x <= 1) return x;
        }
        return centre;
    }

    static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>Complementary error function, Chebyshev fit with relative error below 1.2e-7 (Numerical Recipes' erfcc).</summary>
    static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
