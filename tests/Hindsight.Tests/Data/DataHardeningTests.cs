using System.IO.Compression;
using System.Text;
using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;
using Hindsight.Lesson.Digits;
using Hindsight.Tests.Support;
using Hindsight.Text;

namespace Hindsight.Tests.Data;

/// <summary>Issue 9, data reading: every bad byte, cell, period or gzip file is a one-line error naming where it is.</summary>
public sealed class DataHardeningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hindsight-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static void OneLine(Exception ex) => Assert.DoesNotContain('\n', ex.Message);

    // 1. Integer periods at the limits of long.

    [Fact]
    public void PeriodsAtTheLimitsOfLongAreAOneLineError()
    {
        var path = Write("limits.csv", "series,period,value\na,-9223372036854775808,1\na,9223372036854775807,2\n");
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Equal($"{path}:2: column period: integer period -9223372036854775808 is outside [-1000000000000000000, 1000000000000000000], the range in which periods (and the forecasts after them) are numbered.", ex.Message);
        var high = Write("high.csv", "series,period,value\na,1,1\na,9223372036854775807,2\n");
        var ex2 = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(high));
        Assert.StartsWith($"{high}:3: column period: integer period 9223372036854775807 is outside", ex2.Message);
    }

    [Fact]
    public void PeriodsAtTheEdgeOfTheRangeReadCorrectlyAndFarApartOnesDoNotOverflow()
    {
        var path = Write("edge.csv", "series,period,value\na,999999999999999999,1\na,1000000000000000000,2\nb,-1000000000000000000,3\nb,-999999999999999999,4\n");
        var data = SeriesCsv.Load(path);
        Assert.Equal(new float[] { 1, 2 }, data.Items[0].Values);
        Assert.Equal(999_999_999_999_999_999L, data.Items[0].FirstPeriod);
        Assert.Equal(-1_000_000_000_000_000_000L, data.Items[1].FirstPeriod);
        // 2e18 apart in one series: the difference exceeds int (and would overflow a long GCD of wider ones), a clean error.
        var far = Write("far.csv", "period,value\n-1000000000000000000,1\n1000000000000000000,2\n");
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(far));
        Assert.Equal($"{far}:2: column period: times are 2000000000000000000 units apart; too sparse to be a series.", ex.Message);
    }

    // 2. JSON with invalid UTF-8 inside a string.

    [Fact]
    public void JsonWithInvalidUtf8InAStringNamesLineAndByte()
    {
        var bytes = Encoding.UTF8.GetBytes("[\n{\"series\": \"caf?\", \"date\": \"2020-01-01\", \"value\": 1}\n]\n");
        int q = Array.IndexOf(bytes, (byte)'?');
        bytes[q] = 0xE9;
        var path = Write("bad.json", bytes);
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Equal($"{path}:2: column 16: byte 0xE9 (offset {q} in the file; columns count bytes) is not valid UTF-8; Hindsight reads text as UTF-8 (with or without a BOM): re-save the file as UTF-8.", ex.Message);
    }

    [Fact]
    public void JsonWithABomReads()
    {
        var path = Write("bom.json", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("[{\"date\": \"2020-01-01\", \"value\": 1}, {\"date\": \"2020-02-01\", \"value\": 2}]")]);
        Assert.Equal(new float[] { 1, 2 }, SeriesCsv.Load(path).Items[0].Values);
    }

    // 3. Strict UTF-8 everywhere.

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    [Fact]
    public void Latin1InALongCsvIsAnErrorNamingLineAndByte()
    {
        var path = Write("latin1.csv", Latin1("series,date,value\ncafé,2020-01-01,1\n"));
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Equal(2, ex.Row);
        Assert.Equal("4", ex.Column);
        Assert.StartsWith($"{path}:2: column 4: byte 0xE9 (offset 21 in the file;", ex.Message);
        OneLine(ex);
    }

    [Fact]
    public void Latin1InAWideCsvIsAnError()
    {
        var path = Write("wide.csv", Latin1(",p1,p2\ncafé,1,2\n"));
        var ex = Assert.Throws<DataFormatException>(() => WideSeries.Load(path));
        Assert.StartsWith($"{path}:2: column 4: byte 0xE9", ex.Message);
    }

    [Fact]
    public void Latin1InTheWordsFileAndTheTrainingTextIsAnError()
    {
        var words = Write("words.tsv", Latin1("language\tword\nfr\tcafé\nen\ttea\n"));
        var ex = Assert.Throws<DataFormatException>(() => LanguageWords.Load(words));
        Assert.StartsWith($"{words}:2: column 7: byte 0xE9", ex.Message);
        var text = Write("text.txt", Latin1("hello\nun café\n"));
        var ex2 = Assert.Throws<DataFormatException>(() => TextCorpus.Load(text));
        Assert.StartsWith($"{text}:2: column 7: byte 0xE9", ex2.Message);
    }

    [Fact]
    public void Latin1InADigitsCsvIsAnError()
    {
        var path = Write("digits.csv", Latin1("1,2,0\n1,\u00e9,1\n"));
        var ex = Assert.Throws<DataFormatException>(() => LabeledVectors.Load(path));
        Assert.StartsWith($"{path}:2: column 3: byte 0xE9", ex.Message);
    }

    [Fact]
    public void ABomIsAcceptedAndUtf16IsNamed()
    {
        var words = Write("bom.tsv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("language\tword\nfr\tcafé\nen\ttea\n")]);
        Assert.Equal("café", LanguageWords.Load(words).Words[0]);
        var csv = Write("bom.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("period,value\n1,1\n2,2\n")]);
        Assert.Equal(new float[] { 1, 2 }, SeriesCsv.Load(csv).Items[0].Values);
        var utf16 = Write("utf16.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("hello there\n")).ToArray());
        var ex = Assert.Throws<DataFormatException>(() => TextCorpus.Load(utf16));
        Assert.Contains("UTF-16 byte-order mark", ex.Message);
    }

    // 4. Control characters in numeric cells.

    [Fact]
    public void ANulByteInAValueCellIsAnError()
    {
        var path = Write("nul.csv", "period,value\n1,1.5\0\n2,2\n");
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Equal($"{path}:2: column value: the cell contains the control character U+0000 at position 4; a number or time is plain text.", ex.Message);
    }

    [Fact]
    public void ANulByteInATimeCellAWideCellAndADigitsCellIsAnError()
    {
        var time = Write("nultime.csv", "period,value\n1\0,1\n2,2\n");
        Assert.StartsWith($"{time}:2: column period: the cell contains the control character U+0000", Assert.Throws<DataFormatException>(() => SeriesCsv.Load(time)).Message);
        var wide = Write("nulwide.csv", ",p1,p2\na,1,2\u0001\n");
        Assert.StartsWith($"{wide}:2: column p2: the cell contains the control character U+0001", Assert.Throws<DataFormatException>(() => WideSeries.Load(wide)).Message);
        var digits = Write("nuldigits.csv", "1,2\0,0\n");
        Assert.Equal($"{digits}:1: column 2: the cell contains the control character U+0000 at position 2; a number or time is plain text.", Assert.Throws<DataFormatException>(() => LabeledVectors.Load(digits)).Message);
        var label = Write("nullabel.csv", "1,2,0\0\n");
        Assert.StartsWith($"{label}:1: column 3: the cell contains the control character U+0000", Assert.Throws<DataFormatException>(() => LabeledVectors.Load(label)).Message);
    }

    // 5. Gzip read to its trailer.

    private static readonly byte[] DigitsCsv = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"{i % 7},{i % 5},{i % 3},{i % 2}\n")));

    [Fact]
    public void AGoodGzipReadsLikeThePlainFile()
    {
        var plain = LabeledVectors.Load(Write("d.csv", DigitsCsv));
        var gz = LabeledVectors.Load(Write("d.csv.gz", Gzip(DigitsCsv)));
        Assert.Equal(plain.Features, gz.Features);
        Assert.Equal(plain.Labels, gz.Labels);
        Assert.Equal(400, gz.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(20)]
    public void ATruncatedGzipIsAnErrorNamingTheFile(int cut)
    {
        var gz = Gzip(DigitsCsv);
        var path = Write("cut.csv.gz", gz[..^cut]);
        var ex = Assert.Throws<DataFormatException>(() => LabeledVectors.Load(path));
        Assert.StartsWith($"{path}: truncated or corrupt gzip", ex.Message);
        OneLine(ex);
    }

    [Fact]
    public void AGzipWhoseCrcOrLengthDoesNotMatchIsAnError()
    {
        var gz = Gzip(DigitsCsv);
        var crc = (byte[])gz.Clone();
        crc[^8] ^= 0x01;
        var path = Write("crc.csv.gz", crc);
        // .NET's GZipStream may or may not check the CRC itself; either way the message names the file and the cause.
        Assert.StartsWith($"{path}: truncated or corrupt gzip", Assert.Throws<DataFormatException>(() => LabeledVectors.Load(path)).Message);
        var size = (byte[])gz.Clone();
        size[^4] ^= 0x01;
        var path2 = Write("size.csv.gz", size);
        Assert.StartsWith($"{path2}: truncated or corrupt gzip", Assert.Throws<DataFormatException>(() => LabeledVectors.Load(path2)).Message);
        var notGzip = Write("plain.csv.gz", DigitsCsv);
        Assert.StartsWith($"{notGzip}: not a gzip file", Assert.Throws<DataFormatException>(() => LabeledVectors.Load(notGzip)).Message);
    }

    [Fact]
    public void AMultiMemberGzipReadsWhole()
    {
        var half = DigitsCsv.Length / 2;
        while (DigitsCsv[half - 1] != (byte)'\n') half++;
        var path = Write("two.csv.gz", [.. Gzip(DigitsCsv[..half]), .. Gzip(DigitsCsv[half..])]);
        Assert.Equal(400, LabeledVectors.Load(path).Count);
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue() =>
        Assert.Equal(0xCBF43926u, DataFile.Crc32("123456789"u8)); // the CRC-32/ISO-HDLC check value

    [Fact]
    public void TheBundledDigitsStillRead() =>
        Assert.Equal(1797, LabeledVectors.Load(Repo.Path("data", "digits.csv.gz")).Count);
}
