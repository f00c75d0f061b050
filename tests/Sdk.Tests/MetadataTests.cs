using Cloudstate.Es.Sdk.Testing;
using Cloudstate.Es.TestModel;
using Cloudstate.Es.TestModel.Http;

namespace Cloudstate.Es.Sdk.Tests;

/// <summary>A handler reads the command's metadata, text and binary, and sets the reply's.</summary>
public sealed class MetadataTests
{
    private readonly EventSourcedTestKit<IReadOnlyList<string>> things = new(new HttpThingsEntity(), HttpThingsEntity.Service, "t1");

    [Fact]
    public async Task A_handler_reads_text_and_binary_metadata_and_its_reply_metadata_is_sent_back()
    {
        var outcome = await things.HandleAsync("Get", new Thing { Id = "t1" },
            new Metadata().Add("x-echo-color", "blue").Add("x-echo-data-bin", new byte[] { 7, 8 }));

        Assert.Equal("blue", outcome.ReplyMetadata.Get("x-echoed-color"));
        Assert.Equal(new byte[] { 7, 8 }, outcome.ReplyMetadata.GetBytes("x-echoed-data-bin")?.ToArray());
        Assert.Equal("x-echo-color,x-echo-data-bin", outcome.ReplyMetadata.Get(MetadataEcho.Seen));
    }

    [Fact]
    public async Task A_command_without_metadata_gets_a_reply_without_metadata()
    {
        var outcome = await things.HandleAsync("Get", new Thing { Id = "t1" });

        Assert.Empty(outcome.ReplyMetadata);
    }
}
