namespace Hindsight.Forecasting.Classical.Optimization;

/// <summary>
/// The distinct points of a finite-difference Hessian (<see cref="Bfgs.Hessian"/>), keyed by their exact bits, and their
/// evaluation in one batch: the objective is a pure function of its point, so each distinct point is evaluated once.
/// </summary>
internal sealed class HessianPoints(int dimension)
{
    private readonly List<double[]> _points = [];
    private readonly Dictionary<double[], int> _index = new(new BitwiseComparer());

    /// <summary>The index of <paramref name="x"/> (copied when new).</summary>
    public int Add(double[] x)
    {
        if (x.Length != dimension) throw new ArgumentException("wrong dimension", nameof(x));
        if (_index.TryGetValue(x, out int i)) return i;
        var copy = (double[])x.Clone();
        _points.Add(copy);
        _index.Add(copy, _points.Count - 1);
        return _points.Count - 1;
    }

    /// <summary>The objective at every point, in order; with <paramref name="fn2"/> (a second instance, safe to call
    /// concurrently with <paramref name="fn"/>) the second half runs on another thread.</summary>
    public double[] Evaluate(Objective fn, Objective? fn2)
    {
        var values = new double[_points.Count];
        void Range(Objective f, int from, int to)
        {
            for (int k = from; k < to; k++) values[k] = f(_points[k]);
        }
        if (fn2 is null || _points.Count < 2) Range(fn, 0, _points.Count);
        else
        {
            int half = (_points.Count + 1) / 2;
            try { Parallel.Invoke(() => Range(fn, 0, half), () => Range(fn2, half, _points.Count)); }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        return values;
    }

    private sealed class BitwiseComparer : IEqualityComparer<double[]>
    {
        public bool Equals(double[]? a, double[]? b)
        {
            if (a is null || b is null) return a == b;
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
                if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i])) return false;
            return true;
        }

        public int GetHashCode(double[] x)
        {
            var h = new HashCode();
            foreach (var v in x) h.Add(BitConverter.DoubleToInt64Bits(v));
            return h.ToHashCode();
        }
    }
}
