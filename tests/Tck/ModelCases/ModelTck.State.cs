using static Cloudstate.Es.Tck.ModelCases.ExpectedReply;
using static Cloudstate.Es.Tck.ModelCases.ModelMessages;

namespace Cloudstate.Es.Tck.ModelCases;

public static partial class ModelTck
{
    private static async Task NewEntityHasEmptyState(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1);
        await stream.ExpectAsync(Reply(1, ""));
        await stream.PassivateAsync();
    }

    private static async Task SingleEvent(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emit("A"));
        await stream.ExpectAsync(Reply(1, "A").WithEvents("A"));
        await stream.SendProcessAsync(2);
        await stream.ExpectAsync(Reply(2, "A"));
        await stream.PassivateAsync();
    }

    private static async Task SeveralEventsInOneCommand(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emits("A", "B", "C"));
        await stream.ExpectAsync(Reply(1, "ABC").WithEvents("A", "B", "C"));
        await stream.SendProcessAsync(2);
        await stream.ExpectAsync(Reply(2, "ABC"));
        await stream.PassivateAsync();
    }

    private static async Task EventsAcrossCommands(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emit("A"));
        await stream.ExpectAsync(Reply(1, "A").WithEvents("A"));
        await stream.SendProcessAsync(2, Emits("B", "C"));
        await stream.ExpectAsync(Reply(2, "ABC").WithEvents("B", "C"));
        await stream.SendProcessAsync(3);
        await stream.ExpectAsync(Reply(3, "ABC"));
        await stream.PassivateAsync();
    }

    private static async Task SnapshotsAtFiveAndTen(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emit("A"));
        await stream.ExpectAsync(Reply(1, "A").WithEvents("A"));
        await stream.SendProcessAsync(2, Emit("B"));
        await stream.ExpectAsync(Reply(2, "AB").WithEvents("B"));
        await stream.SendProcessAsync(3, Emit("C"));
        await stream.ExpectAsync(Reply(3, "ABC").WithEvents("C"));
        await stream.SendProcessAsync(4, Emit("D"));
        await stream.ExpectAsync(Reply(4, "ABCD").WithEvents("D"));
        await stream.SendProcessAsync(5, Emit("E"));
        await stream.ExpectAsync(Reply(5, "ABCDE").WithEvents("E").WithSnapshot("ABCDE"));
        await stream.SendProcessAsync(6, Emits("F", "G", "H"));
        await stream.ExpectAsync(Reply(6, "ABCDEFGH").WithEvents("F", "G", "H"));
        await stream.SendProcessAsync(7, Emits("I", "J"));
        await stream.ExpectAsync(Reply(7, "ABCDEFGHIJ").WithEvents("I", "J").WithSnapshot("ABCDEFGHIJ"));
        await stream.SendProcessAsync(8, Emit("K"));
        await stream.ExpectAsync(Reply(8, "ABCDEFGHIJK").WithEvents("K"));
        await stream.SendProcessAsync(9);
        await stream.ExpectAsync(Reply(9, "ABCDEFGHIJK"));
        await stream.PassivateAsync();
    }

    private static async Task SnapshotAfterAllEvents(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emits("A", "B", "C"));
        await stream.ExpectAsync(Reply(1, "ABC").WithEvents("A", "B", "C"));
        await stream.SendProcessAsync(2, Emits("D", "E", "F", "G"));
        await stream.ExpectAsync(Reply(2, "ABCDEFG").WithEvents("D", "E", "F", "G").WithSnapshot("ABCDEFG"));
        await stream.PassivateAsync();
    }

    private static async Task InitialSnapshot(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync(snapshot: "ABCDE", snapshotSequence: 5);
        await stream.SendProcessAsync(1);
        await stream.ExpectAsync(Reply(1, "ABCDE"));
        await stream.PassivateAsync();
    }

    private static async Task InitialSnapshotAndEvents(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync(snapshot: "ABCDE", snapshotSequence: 5);
        await stream.SendEventAsync(6, "F");
        await stream.SendEventAsync(7, "G");
        await stream.SendProcessAsync(1);
        await stream.ExpectAsync(Reply(1, "ABCDEFG"));
        await stream.PassivateAsync();
    }

    private static async Task ReplayedEvents(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendEventAsync(1, "A");
        await stream.SendEventAsync(2, "B");
        await stream.SendEventAsync(3, "C");
        await stream.SendEventAsync(4, "D");
        await stream.SendProcessAsync(1);
        await stream.ExpectAsync(Reply(1, "ABCD"));
        await stream.SendProcessAsync(2, Emit("E"));
        await stream.ExpectAsync(Reply(2, "ABCDE").WithEvents("E").WithSnapshot("ABCDE"));
        await stream.PassivateAsync();
    }

    private static async Task SnapshotsCountFromInit(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync(snapshot: "ABCDE", snapshotSequence: 5);
        await stream.SendEventAsync(6, "F");
        await stream.SendEventAsync(7, "G");
        await stream.SendProcessAsync(1, Emits("H", "I"));
        await stream.ExpectAsync(Reply(1, "ABCDEFGHI").WithEvents("H", "I"));
        await stream.SendProcessAsync(2, Emit("J"));
        await stream.ExpectAsync(Reply(2, "ABCDEFGHIJ").WithEvents("J").WithSnapshot("ABCDEFGHIJ"));
        await stream.PassivateAsync();
    }

    private static async Task RehydrationAfterPassivation(ModelEntity entity)
    {
        using (var first = entity.Open())
        {
            await first.InitAsync();
            await first.SendProcessAsync(1, Emits("A", "B", "C"));
            await first.ExpectAsync(Reply(1, "ABC").WithEvents("A", "B", "C"));
            await first.SendProcessAsync(2, Emits("D", "E"));
            await first.ExpectAsync(Reply(2, "ABCDE").WithEvents("D", "E").WithSnapshot("ABCDE"));
            await first.SendProcessAsync(3, Emit("F"));
            await first.ExpectAsync(Reply(3, "ABCDEF").WithEvents("F"));
            await first.SendProcessAsync(4, Emit("G"));
            await first.ExpectAsync(Reply(4, "ABCDEFG").WithEvents("G"));
            await first.PassivateAsync();
        }

        // What a proxy replays from its journal: the snapshot the first stream sent, then the events after it.
        using var second = entity.Open();
        await second.InitAsync(snapshot: "ABCDE", snapshotSequence: 5);
        await second.SendEventAsync(6, "F");
        await second.SendEventAsync(7, "G");
        await second.SendProcessAsync(1);
        await second.ExpectAsync(Reply(1, "ABCDEFG"));
        await second.PassivateAsync();
    }

    private static Task SecondServiceAnswers(ModelEntity entity) => EmptyCall(entity, TwoService);

    private static Task ConfiguredServiceAnswers(ModelEntity entity) => EmptyCall(entity, ConfiguredService);

    private static async Task EmptyCall(ModelEntity entity, string service)
    {
        using var stream = entity.Open(service);
        await stream.InitAsync();
        await stream.SendCallAsync(1);
        await stream.ExpectAsync(Reply(1, ""));
        await stream.PassivateAsync();
    }
}
