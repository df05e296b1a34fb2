using System.Buffers.Binary;

namespace Hindsight.Onnx;

/// <summary>
/// The subset of onnx.proto that the exporter writes, with its field numbers. Each <c>Write</c> returns one
/// serialized message (<see cref="ProtoWriter"/>).
/// </summary>
internal static class OnnxProto
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int Float = 1, Int32 = 6, Int64 = 7, Double = 11;

    // AttributeProto.AttributeType
    private const int AttrFloat = 1, AttrInt = 2, AttrString = 3, AttrGraph = 5, AttrInts = 7, AttrStrings = 8;

    /// <summary>
    /// ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8 (OperatorSetIdProto: domain 1,
    /// version 2), metadata_props 14 (StringStringEntryProto: key 1, value 2).
    /// </summary>
    public static byte[] Model(long irVersion, long opset, string producerVersion, ProtoWriter graph, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var w = new ProtoWriter();
        w.Int64(1, irVersion);
        w.String(2, "Hindsight");
        w.String(3, producerVersion);
        w.Message(7, graph);
        var opsetId = new ProtoWriter();
        opsetId.String(1, "");
        opsetId.Int64(2, opset);
        w.Message(8, opsetId);
        foreach (var (key, value) in metadata)
        {
            var entry = new ProtoWriter();
            entry.String(1, key);
            entry.String(2, value);
            w.Message(14, entry);
        }
        return w.ToArray();
    }

    /// <summary>GraphProto: node 1, name 2, initializer 5, input 11, output 12.</summary>
    public static ProtoWriter Graph(string name, IEnumerable<ProtoWriter> nodes, IEnumerable<ProtoWriter> initializers,
        IEnumerable<ProtoWriter> inputs, IEnumerable<ProtoWriter> outputs)
    {
        var w = new ProtoWriter();
        foreach (var n in nodes) w.Message(1, n);
        w.String(2, name);
        foreach (var t in initializers) w.Message(5, t);
        foreach (var v in inputs) w.Message(11, v);
        foreach (var v in outputs) w.Message(12, v);
        return w;
    }

    /// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. An empty input name skips an optional input.</summary>
    public static ProtoWriter Node(string name, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<OnnxAttribute> attributes)
    {
        var w = new ProtoWriter();
        foreach (var i in inputs) w.String(1, i);
        foreach (var o in outputs) w.String(2, o);
        w.String(3, name);
        w.String(4, opType);
        foreach (var a in attributes) w.Message(5, Attribute(a));
        return w;
    }

    /// <summary>AttributeProto: name 1, f 2, i 3, s 4, g 6, ints 8, strings 9, type 20.</summary>
    private static ProtoWriter Attribute(OnnxAttribute a)
    {
        var w = new ProtoWriter();
        w.String(1, a.Name);
        switch (a.Kind)
        {
            case OnnxAttribute.AttrKind.Float: w.Float(2, a.F); w.Int64(20, AttrFloat); break;
            case OnnxAttribute.AttrKind.Int: w.Int64(3, a.I); w.Int64(20, AttrInt); break;
            case OnnxAttribute.AttrKind.String: w.String(4, a.S!); w.Int64(20, AttrString); break;
            case OnnxAttribute.AttrKind.Graph: w.Message(6, a.G!); w.Int64(20, AttrGraph); break;
            case OnnxAttribute.AttrKind.Ints: foreach (var v in a.Ints!) w.Int64(8, v); w.Int64(20, AttrInts); break;
            case OnnxAttribute.AttrKind.Strings: foreach (var v in a.Strings!) w.String(9, v); w.Int64(20, AttrStrings); break;
        }
        return w;
    }

    /// <summary>TensorProto of float32: dims 1, data_type 2, name 8, raw_data 9 (little-endian).</summary>
    public static ProtoWriter FloatTensor(string name, ReadOnlySpan<float> data, ReadOnlySpan<long> dims)
    {
        var raw = new byte[data.Length * 4];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4, 4), data[i]);
        return Tensor(name, Float, raw, dims);
    }

    /// <summary>TensorProto of int64 (shapes, axes), raw_data little-endian.</summary>
    public static ProtoWriter Int64Tensor(string name, ReadOnlySpan<long> data, ReadOnlySpan<long> dims)
    {
        var raw = new byte[data.Length * 8];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8, 8), data[i]);
        return Tensor(name, Int64, raw, dims);
    }

    private static ProtoWriter Tensor(string name, int dataType, byte[] raw, ReadOnlySpan<long> dims)
    {
        var w = new ProtoWriter();
        foreach (var d in dims) w.Int64(1, d);
        w.Int64(2, dataType);
        w.String(8, name);
        w.Bytes(9, raw);
        return w;
    }

    /// <summary>
    /// ValueInfoProto (name 1, type 2) of a tensor of <paramref name="elemType"/>: TypeProto.tensor_type 1 -> Tensor
    /// (elem_type 1, shape 2) -> TensorShapeProto (dim 1) -> Dimension (dim_value 1 | dim_param 2).
    /// </summary>
    public static ProtoWriter ValueInfo(string name, int elemType, IReadOnlyList<OnnxDim> shape)
    {
        var shapeProto = new ProtoWriter();
        foreach (var d in shape)
        {
            var dim = new ProtoWriter();
            if (d.Param is not null) dim.String(2, d.Param); else dim.Int64(1, d.Value);
            shapeProto.Message(1, dim);
        }
        var tensorType = new ProtoWriter();
        tensorType.Int64(1, elemType);
        tensorType.Message(2, shapeProto);
        var type = new ProtoWriter();
        type.Message(1, tensorType);
        var w = new ProtoWriter();
        w.String(1, name);
        w.Message(2, type);
        return w;
    }
}

/// <summary>One node attribute (float, int, string, ints, strings or a graph).</summary>
internal readonly record struct OnnxAttribute(string Name, OnnxAttribute.AttrKind Kind, float F = 0, long I = 0, string? S = null,
    long[]? Ints = null, string[]? Strings = null, ProtoWriter? G = null)
{
    internal enum AttrKind { Float, Int, String, Ints, Strings, Graph }

    public static OnnxAttribute Of(string name, long value) => new(name, AttrKind.Int, I: value);
    public static OnnxAttribute Of(string name, float value) => new(name, AttrKind.Float, F: value);
    public static OnnxAttribute Of(string name, string value) => new(name, AttrKind.String, S: value);
    public static OnnxAttribute Of(string name, long[] values) => new(name, AttrKind.Ints, Ints: values);
    public static OnnxAttribute Of(string name, string[] values) => new(name, AttrKind.Strings, Strings: values);
    public static OnnxAttribute Of(string name, ProtoWriter graph) => new(name, AttrKind.Graph, G: graph);
}

/// <summary>A dimension of a graph input/output: a fixed size, or a named dynamic one (<c>dim_param</c>).</summary>
public readonly record struct OnnxDim(long Value, string? Param)
{
    /// <summary>A dimension of fixed size <paramref name="value"/>.</summary>
    public static OnnxDim Fixed(long value) => new(value, null);
    /// <summary>A dynamic dimension named <paramref name="name"/> (<c>dim_param</c>).</summary>
    public static OnnxDim Dynamic(string name) => new(-1, name);
    /// <summary>True for a named dynamic dimension.</summary>
    public bool IsDynamic => Param is not null;
    /// <summary>The size, or the dynamic dimension's name.</summary>
    public override string ToString() => Param ?? Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
