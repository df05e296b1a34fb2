using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace Hindsight.Settings;

/// <summary>One setting of an options record, read from its <see cref="SettingAttribute"/> and its initial value.</summary>
/// <param name="Property">The record's property.</param>
/// <param name="Name">The parameter name: the property name in camelCase (what error messages name).</param>
/// <param name="Help">Help text.</param>
/// <param name="Default">The record's initial value (null for a nullable setting decided at run time).</param>
/// <param name="Attribute">The attribute (range, <see cref="SettingAttribute.DefaultText"/>).</param>
public sealed record Setting(PropertyInfo Property, string Name, string Help, object? Default, SettingAttribute Attribute)
{
    /// <summary>The property type without <see cref="Nullable{T}"/>; for a list (<c>IReadOnlyList&lt;int&gt;</c>), its element type.</summary>
    public Type ValueType
    {
        get
        {
            var t = Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;
            return t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? t.GetGenericArguments()[0] : t;
        }
    }

    /// <summary>For an enum setting, its members and their names (<see cref="SettingValueAttribute"/> or the member name in lower case); else empty.</summary>
    public IReadOnlyList<(string Name, object Value)> Choices =>
        ValueType.IsEnum
            ? ValueType.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (f.GetCustomAttribute<SettingValueAttribute>()?.Name ?? f.Name.ToLowerInvariant(), f.GetValue(null)!)).ToList()
            : [];

    /// <summary>The name of an enum value of this setting (see <see cref="Choices"/>).</summary>
    public string ChoiceName(object value) => Choices.First(c => c.Value.Equals(value)).Name;

    /// <summary>The enum value named <paramref name="text"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No member of that name; the message names the setting and the choices.</exception>
    public object ParseChoice(string text)
    {
        foreach (var (name, value) in Choices)
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase)) return value;
        throw new ArgumentException($"{Name}: unknown '{text}'; expected {string.Join(", ", Choices.Select(c => c.Name))}.", Name);
    }

    /// <summary>Whether the value must lie in a range.</summary>
    public bool HasRange => !double.IsNaN(Attribute.Min) || !double.IsNaN(Attribute.Max);

    /// <summary>
    /// Null when <paramref name="value"/> is valid, else the reason, starting with <see cref="Name"/>
    /// ("learningRate must be greater than 0 and finite, got NaN."). Null values (a run-time default) are valid.
    /// </summary>
    public string? Problem(object? value)
    {
        if (value is Enum e)
            return Enum.IsDefined(e.GetType(), e) ? null : $"{Name}: unknown '{e}'; expected {string.Join(", ", Choices.Select(c => c.Name))}.";
        if (value is null || !HasRange) return null;
        if (value is System.Collections.IEnumerable items and not string)
        {
            foreach (var item in items)
                if (Problem(item) is not null)
                    return $"{Name} must be {Range} each, got {string.Join(",", items.Cast<object>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)))}.";
            return null;
        }
        bool floating = value is float or double;
        double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        double min = Attribute.Min, max = Attribute.Max;
        bool ok = !(floating && !double.IsFinite(v))
            && (double.IsNaN(min) || (Attribute.MinExclusive ? v > min : v >= min))
            && (double.IsNaN(max) || (Attribute.MaxExclusive ? v < max : v <= max));
        if (ok) return null;
        string got = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        return $"{Name} must be {Range}, got {got}.";
    }

    /// <summary>The valid range in words: "at least 1", "greater than 0 and finite", "between 0 and 1 (exclusive)".</summary>
    public string Range
    {
        get
        {
            bool floating = ValueType == typeof(float) || ValueType == typeof(double);
            string F(double d) => d.ToString(CultureInfo.InvariantCulture);
            double min = Attribute.Min, max = Attribute.Max;
            string text = (double.IsNaN(min), double.IsNaN(max)) switch
            {
                (false, true) => Attribute.MinExclusive ? $"greater than {F(min)}" : $"at least {F(min)}",
                (true, false) => Attribute.MaxExclusive ? $"less than {F(max)}" : $"at most {F(max)}",
                (false, false) => $"{(Attribute.MinExclusive ? "greater than" : "at least")} {F(min)} and {(Attribute.MaxExclusive ? "less than" : "at most")} {F(max)}",
                _ => "a number",
            };
            return floating ? text + " and finite" : text;
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is <see cref="Name"/> when <paramref name="value"/> is out of range.</summary>
    public void Check(object? value)
    {
        if (Problem(value) is { } problem) throw new ArgumentException(problem, Name);
    }
}

/// <summary>Reads the <see cref="Setting"/>s of an options record (cached per type).</summary>
public static class SettingTable
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Setting>> Cache = new();

    /// <summary>Every setting of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<Setting> Of<T>() where T : new() => Cache.GetOrAdd(typeof(T), _ => Read(new T()));

    /// <summary>The setting of <typeparamref name="T"/> held by the property <paramref name="property"/>.</summary>
    /// <exception cref="ArgumentException">The property is not a setting.</exception>
    public static Setting Of<T>(string property) where T : new() =>
        Of<T>().FirstOrDefault(s => s.Property.Name == property)
            ?? throw new ArgumentException($"{typeof(T).Name}.{property} is not marked [Setting].", nameof(property));

    /// <summary>Checks every setting of <paramref name="record"/> against its range (see <see cref="Setting.Check"/>).</summary>
    /// <exception cref="ArgumentException">The first value out of range, named by its parameter name.</exception>
    public static void Check<T>(T record) where T : new()
    {
        foreach (var s in Of<T>()) s.Check(s.Property.GetValue(record));
    }

    /// <summary>The camelCase parameter name of a property name.</summary>
    public static string ParameterName(string property) => char.ToLowerInvariant(property[0]) + property[1..];

    private static IReadOnlyList<Setting> Read(object instance) =>
        instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, a: p.GetCustomAttribute<SettingAttribute>()))
            .Where(x => x.a is not null)
            .OrderBy(x => x.p.MetadataToken)
            .Select(x => new Setting(x.p, ParameterName(x.p.Name), x.a!.Help, x.p.GetValue(instance), x.a))
            .ToList();
}
