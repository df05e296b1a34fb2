namespace Hindsight.Settings;

/// <summary>
/// The name a front end uses for a member of an enum setting (<c>ffill</c> for <c>MissingValuePolicy.ForwardFill</c>).
/// Without it the name is the member's name in lower case.
/// </summary>
/// <param name="name">The name, lower case.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class SettingValueAttribute(string name) : Attribute
{
    /// <summary>The name.</summary>
    public string Name { get; } = name;
}
