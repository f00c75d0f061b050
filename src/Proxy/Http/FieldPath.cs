using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>Dotted field paths of google.api.http rules and query parameters (<c>shelf.book.id</c>), walked through descriptors.</summary>
internal static class FieldPath
{
    /// <summary>
    /// The field <paramref name="fieldPath"/> names in <paramref name="type"/>, going through singular message fields;
    /// null with <paramref name="problem"/> saying what is wrong otherwise. JSON names count when <paramref name="jsonNames"/>.
    /// </summary>
    public static FieldDescriptor? Find(MessageDescriptor type, string fieldPath, bool jsonNames, out string problem)
    {
        FieldDescriptor? field = null;
        foreach (var name in fieldPath.Split('.'))
        {
            if (field is not null)
            {
                if (field.FieldType != FieldType.Message || field.IsRepeated)
                {
                    problem = $"'{fieldPath}' goes through '{field.Name}', which is not a singular message";
                    return null;
                }

                type = field.MessageType;
            }

            field = type.FindFieldByName(name) ?? (jsonNames ? type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name) : null);
            if (field is null)
            {
                problem = $"'{fieldPath}' names no field of {type.FullName}";
                return null;
            }
        }

        problem = field is null ? "the field path is empty" : "";
        return field;
    }
}
