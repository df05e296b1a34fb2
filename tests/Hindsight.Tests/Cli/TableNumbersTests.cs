using Hindsight.Cli;

namespace Hindsight.Tests.Cli;

/// <summary>Numbers side by side in a table column share one number of decimals.</summary>
public class TableNumbersTests
{
    [Fact]
    public void AColumnGetsTheDecimalsOfItsLargestValue()
    {
        Assert.Equal(["1.700", "2.755", "0.467"], TableNumbers.Column([1.7, 2.755, 0.4674], 4));
        Assert.Equal(["411.0", "2012.3"], TableNumbers.Column([411, 2012.34], 5));
        Assert.Equal(["117.5", "331.1", "n/a"], TableNumbers.Column([117.5, 331.1, null], 4));
        Assert.Equal(["10.00", "9.50"], TableNumbers.Column([9.9996, 9.5], 4)); // 9.9996 rounds to 10.00, not 10.000
        Assert.Equal(["0.000"], TableNumbers.Column([0.0], 4));
        Assert.Equal(["123457"], TableNumbers.Column([123456.7], 4));
    }
}
