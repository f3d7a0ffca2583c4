using System.Runtime.CompilerServices;

// The transform tests exercise the internal pieces of the ingestion path (strict base64, minimal JSON escaping, the
// normalised record writer) directly. Declared here rather than in Pipeline.Core.csproj to keep the ingestion code
// self-contained.
[assembly: InternalsVisibleTo("Pipeline.Transform.Tests")]
