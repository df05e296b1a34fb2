using Hindsight.Data;
using Hindsight.Forecasting.Data;

namespace Hindsight.Lesson;

/// <summary>
/// The seed's data feeding: <c>DataLoader(values, batch_size = batchRows, shuffle = True)</c> over the rows of the
/// table, then for each batch one random window start <c>i = randint(0, periods - seqLength - 1)</c> (inclusive),
/// <c>x = t[:, i:i+seqLength]</c> and <c>y = t[:, i+1:i+seqLength+1]</c>. So an epoch is ceil(rows / batchRows)
/// SGD steps, each on one window per row; the forecasting tools use every window instead.
/// </summary>
public sealed class WindowLoader(WideSeries data, int seqLength, int batchRows, Rng rng)
{
    /// <summary>One batch: windows x and targets y, both (rows, seqLength).</summary>
    public readonly record struct Batch(Tensor X, Tensor Y, int Rows);

    /// <summary>
    /// The batches of one epoch in shuffled row order. With <paramref name="skipShort"/> a last batch with fewer than
    /// batchRows rows is skipped before its window is drawn, exactly as the seed's RNN loop does.
    /// </summary>
    public IEnumerable<Batch> Epoch(bool skipShort)
    {
        int rows = data.Rows, periods = data.PeriodCount;
        var order = rng.Permutation(rows);
        for (int first = 0; first < rows; first += batchRows)
        {
            int b = Math.Min(batchRows, rows - first);
            if (skipShort && b != batchRows) continue;
            int start = rng.NextInt(periods - seqLength); // randint(0, periods - seqLength - 1)
            var x = new Tensor(b, seqLength);
            var y = new Tensor(b, seqLength);
            for (int r = 0; r < b; r++)
            {
                var row = data.Row(order[first + r]);
                row.Slice(start, seqLength).CopyTo(x.Data.AsSpan(r * seqLength, seqLength));
                row.Slice(start + 1, seqLength).CopyTo(y.Data.AsSpan(r * seqLength, seqLength));
            }
            yield return new Batch(x, y, b);
        }
    }
}
