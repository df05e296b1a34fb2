namespace Hindsight.Settings;

/// <summary>
/// Marks a property of an options record as a setting and carries, once, what a user needs to know about it: the help
/// text and the valid range. The default is the property's initial value in <c>new TRecord()</c>; the parameter name is
/// the property name in camelCase (<c>LearningRate</c> is <c>learningRate</c>). Front ends (the <c>hindsight</c>
/// command line) build their options from these, so a default or a range is never written twice. See
/// <see cref="SettingTable"/>.
/// </summary>
/// <param name="help">One sentence, no trailing period, as shown in a help listing.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SettingAttribute(string help) : Attribute
{
    /// <summary>Help text: one sentence, no trailing period.</summary>
    public string Help { get; } = help;

    /// <summary>Smallest valid value (NaN: no lower bound).</summary>
    public double Min { get; set; } = double.NaN;

    /// <summary>Whether <see cref="Min"/> itself is invalid (a learning rate must be above 0, not 0).</summary>
    public bool MinExclusive { get; set; }

    /// <summary>Largest valid value (NaN: no upper bound other than the type's).</summary>
    public double Max { get; set; } = double.NaN;

    /// <summary>Whether <see cref="Max"/> itself is invalid.</summary>
    public bool MaxExclusive { get; set; }

    /// <summary>
    /// For a nullable setting whose default is decided at run time (from the data or another setting): the rule in words,
    /// e.g. "2 x max(season, horizon)". Null: the default is the record's initial value.
    /// </summary>
    public string? DefaultText { get; set; }
}
