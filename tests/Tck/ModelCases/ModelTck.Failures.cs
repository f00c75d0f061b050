using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.Tck.Model;
using static Cloudstate.Es.Tck.ModelCases.ExpectedReply;
using static Cloudstate.Es.Tck.ModelCases.ModelMessages;

namespace Cloudstate.Es.Tck.ModelCases;

public static partial class ModelTck
{
    private static async Task FailureAction(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, FailWith("expected failure"));
        await stream.ExpectAsync(Failure(1, "expected failure"));
        await stream.PassivateAsync();
    }

    private static async Task StreamUsableAfterFailure(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emit("A"));
        await stream.ExpectAsync(Reply(1, "A").WithEvents("A"));
        await stream.SendProcessAsync(2, FailWith("expected failure"));
        await stream.ExpectAsync(Failure(2, "expected failure"));
        await stream.SendProcessAsync(3);
        await stream.ExpectAsync(Reply(3, "A"));
        await stream.PassivateAsync();
    }

    // A support library may ask for a restart when a command fails after emitting events; then the proxy replays the
    // journal on a new stream, so both ways are checked: the failed command's events must never count.
    private static async Task FailureDiscardsEvents(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emits("A", "B", "C"));
        await stream.ExpectAsync(Reply(1, "ABC").WithEvents("A", "B", "C"));
        await stream.SendProcessAsync(2, Emit("4"), Emit("5"), FailWith("failure 1"));
        var failed = await stream.ExpectAsync(Failure(2, "failure 1", restart: null));
        if (failed.ClientAction.Failure.Restart)
        {
            await stream.PassivateAsync();
            await FailureDiscardsEventsAfterRestart(entity);
            return;
        }

        await stream.SendProcessAsync(3, Emit("D"));
        await stream.ExpectAsync(Reply(3, "ABCD").WithEvents("D"));
        await stream.SendProcessAsync(4, Emit("6"), FailWith("failure 2"), Emit("7"));
        await stream.ExpectAsync(Failure(4, "failure 2"));
        await stream.SendProcessAsync(5, Emit("E"));
        await stream.ExpectAsync(Reply(5, "ABCDE").WithEvents("E").WithSnapshot("ABCDE"));
        await stream.PassivateAsync();
    }

    private static async Task FailureDiscardsEventsAfterRestart(ModelEntity entity)
    {
        using (var restarted = entity.Open())
        {
            await restarted.InitAsync();
            await ReplayAsync(restarted, "A", "B", "C");
            await restarted.SendProcessAsync(1, Emit("D"));
            await restarted.ExpectAsync(Reply(1, "ABCD").WithEvents("D"));
            await restarted.SendProcessAsync(2, Emit("6"), FailWith("failure 2"), Emit("7"));
            await restarted.ExpectAsync(Failure(2, "failure 2", restart: true));
            await restarted.PassivateAsync();
        }

        using var again = entity.Open();
        await again.InitAsync();
        await ReplayAsync(again, "A", "B", "C", "D");
        await again.SendProcessAsync(1, Emit("E"));
        await again.ExpectAsync(Reply(1, "ABCDE").WithEvents("E").WithSnapshot("ABCDE"));
        await again.PassivateAsync();
    }

    private static async Task FailureSuppressesSideEffects(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, EffectTo(entity.Id), FailWith("expected failure"));
        await stream.ExpectAsync(Failure(1, "expected failure"));
        await stream.PassivateAsync();
    }

    private static async Task UnknownCommandFailsTheStream(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendCommandAsync(1, "NoSuchMethod", new Request { Id = entity.Id });
        var failure = await stream.ExpectStreamFailureAsync("a stream failure for command 1, whose method NoSuchMethod the entity lacks");
        if (failure.CommandId != 1)
        {
            throw new TckFailure($"expected the stream failure to name command 1, got command id {failure.CommandId} (\"{failure.Description}\")");
        }
    }

    private static async Task UnknownServiceFailsTheStream(ModelEntity entity)
    {
        using var stream = entity.Open("cloudstate.tck.model.NoSuchService");
        await stream.InitAsync();
        await stream.ExpectStreamFailureAsync("a stream failure for an init naming cloudstate.tck.model.NoSuchService");
    }

    private static async Task ReplayAsync(UserFunctionSession stream, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            await stream.SendEventAsync(i + 1, values[i]);
        }
    }
}
