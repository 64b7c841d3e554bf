using System.Numerics.Tensors;

namespace EdgeDigits.Training.Baselines;

/// <summary>
/// The dual of a binary soft-margin SVM with an RBF kernel, solved by SMO with second-order working-set
/// selection (Fan, Chen and Lin 2005, the method of LIBSVM): min 1/2 a'Qa - e'a, 0 &lt;= a &lt;= C, y'a = 0,
/// Q[i][j] = y_i y_j exp(-gamma |x_i - x_j|^2). Kernel rows are computed with SIMD dot products and kept
/// in a least-recently-used cache.
/// </summary>
internal sealed class SmoSolver
{
    private const double Tau = 1e-12;

    private readonly float[] _x;
    private readonly float[] _norms;
    private readonly sbyte[] _y;
    private readonly int _n, _d;
    private readonly float _gamma;
    private readonly float[]?[] _cache;
    private readonly long[] _lastUse;
    private readonly int _cacheRows;
    private int _cached;
    private long _clock;

    /// <summary>Prepares the problem on rows <paramref name="rows"/> of <paramref name="data"/> with labels +1/-1.</summary>
    public SmoSolver(FeatureMatrix data, IReadOnlyList<int> rows, sbyte[] y, float gamma, long cacheBytes)
    {
        _n = rows.Count;
        _d = data.Dimension;
        _x = new float[(long)_n * _d];
        _norms = new float[_n];
        for (var i = 0; i < _n; i++)
        {
            var r = data.Row(rows[i]);
            r.CopyTo(_x.AsSpan(i * _d, _d));
            _norms[i] = TensorPrimitives.Dot(r, r);
        }
        _y = y;
        _gamma = gamma;
        _cache = new float[_n][];
        _lastUse = new long[_n];
        _cacheRows = (int)Math.Clamp(cacheBytes / (4L * _n), 2, _n);
    }

    /// <summary>Iterations the last <see cref="Solve"/> took.</summary>
    public int Iterations { get; private set; }

    /// <summary>Solves to the KKT tolerance <paramref name="eps"/>; returns the multipliers and the offset rho (decision = sum a_i y_i K(x_i, x) - rho).</summary>
    public (double[] Alpha, double Rho) Solve(double c, double eps)
    {
        var alpha = new double[_n];
        var g = new double[_n];
        Array.Fill(g, -1.0);
        var maxIter = Math.Max(10_000_000, 100L * _n);
        var iter = 0;
        for (; iter < maxIter; iter++)
        {
            // Working set: i maximizes -y G over the indices that can still move up, j minimizes the
            // second-order decrease of the objective among those that can move down.
            double gmax = double.NegativeInfinity;
            var i = -1;
            for (var t = 0; t < _n; t++)
            {
                if (_y[t] > 0 ? alpha[t] < c : alpha[t] > 0)
                {
                    var v = -_y[t] * g[t];
                    if (v >= gmax)
                    {
                        gmax = v;
                        i = t;
                    }
                }
            }
            if (i < 0) break;
            var qi = Row(i);
            double gmax2 = double.NegativeInfinity, best = double.PositiveInfinity;
            var j = -1;
            for (var t = 0; t < _n; t++)
            {
                if (_y[t] > 0 ? alpha[t] > 0 : alpha[t] < c)
                {
                    var v = _y[t] * g[t];
                    if (v >= gmax2) gmax2 = v;
                    var diff = gmax + v;
                    if (diff > 0)
                    {
                        var quad = 2.0 - 2.0 * qi[t];
                        var obj = -diff * diff / (quad > 0 ? quad : Tau);
                        if (obj <= best)
                        {
                            best = obj;
                            j = t;
                        }
                    }
                }
            }
            if (gmax + gmax2 < eps || j < 0) break;
            var qj = Row(j);
            qi = Row(i); // j's row may have evicted i's
            double ai = alpha[i], aj = alpha[j];
            var kij = qi[j];
            var q = 2.0 - 2.0 * kij;
            if (q <= 0) q = Tau;
            if (_y[i] != _y[j])
            {
                // Q_ij = -K_ij here.
                var delta = (-g[i] - g[j]) / q;
                var diff = alpha[i] - alpha[j];
                alpha[i] += delta;
                alpha[j] += delta;
                if (diff > 0) { if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = diff; } }
                else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = -diff; }
                if (diff > 0) { if (alpha[i] > c) { alpha[i] = c; alpha[j] = c - diff; } }
                else if (alpha[j] > c) { alpha[j] = c; alpha[i] = c + diff; }
            }
            else
            {
                var delta = (g[i] - g[j]) / q;
                var sum = alpha[i] + alpha[j];
                alpha[i] -= delta;
                alpha[j] += delta;
                if (sum > c) { if (alpha[i] > c) { alpha[i] = c; alpha[j] = sum - c; } }
                else if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = sum; }
                if (sum > c) { if (alpha[j] > c) { alpha[j] = c; alpha[i] = sum - c; } }
                else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = sum; }
            }
            // G_t += Q_ti dAi + Q_tj dAj with Q_tk = y_t y_k K_tk.
            var di = (alpha[i] - ai) * _y[i];
            var dj = (alpha[j] - aj) * _y[j];
            for (var t = 0; t < _n; t++) g[t] += _y[t] * (qi[t] * di + qj[t] * dj);
        }
        Iterations = iter;
        return (alpha, Rho(alpha, g, c));
    }

    // The offset from the KKT conditions: the mean of y G over free multipliers, else the middle of the bounds.
    private double Rho(double[] alpha, double[] g, double c)
    {
        double ub = double.PositiveInfinity, lb = double.NegativeInfinity, sumFree = 0;
        var free = 0;
        for (var t = 0; t < _n; t++)
        {
            var yg = _y[t] * g[t];
            if (alpha[t] >= c)
            {
                if (_y[t] < 0) ub = Math.Min(ub, yg);
                else lb = Math.Max(lb, yg);
            }
            else if (alpha[t] <= 0)
            {
                if (_y[t] > 0) ub = Math.Min(ub, yg);
                else lb = Math.Max(lb, yg);
            }
            else
            {
                free++;
                sumFree += yg;
            }
        }
        return free > 0 ? sumFree / free : (ub + lb) / 2;
    }

    private float[] Row(int i)
    {
        _lastUse[i] = ++_clock;
        if (_cache[i] is { } hit) return hit;
        float[] row;
        if (_cached >= _cacheRows)
        {
            var victim = -1;
            for (var t = 0; t < _n; t++)
                if (_cache[t] is not null && (victim < 0 || _lastUse[t] < _lastUse[victim])) victim = t;
            row = _cache[victim]!;
            _cache[victim] = null;
        }
        else
        {
            row = new float[_n];
            _cached++;
        }
        var xi = _x.AsSpan(i * _d, _d);
        for (var t = 0; t < _n; t++) row[t] = TensorPrimitives.Dot(xi, _x.AsSpan(t * _d, _d));
        // exp(-gamma (|xi|^2 + |xt|^2 - 2 xi.xt)), clamped at 0 distance against round-off.
        TensorPrimitives.Multiply(row, -2f, row);
        TensorPrimitives.Add(row, _norms, row);
        TensorPrimitives.Add(row, _norms[i], row);
        TensorPrimitives.Max(row, 0f, row);
        TensorPrimitives.Multiply(row, -_gamma, row);
        TensorPrimitives.Exp(row, row);
        _cache[i] = row;
        return row;
    }
}
