using static Cloudstate.Es.Tck.ModelCases.ExpectedReply;
using static Cloudstate.Es.Tck.ModelCases.ModelMessages;

namespace Cloudstate.Es.Tck.ModelCases;

public static partial class ModelTck
{
    private static async Task ForwardToSecondService(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emits("A", "B", "C"));
        await stream.ExpectAsync(Reply(1, "ABC").WithEvents("A", "B", "C"));
        await stream.SendProcessAsync(2, ForwardTo(entity.Id));
        await stream.ExpectAsync(Forward(2, entity.Id));
        await stream.SendProcessAsync(3);
        await stream.ExpectAsync(Reply(3, "ABC"));
        await stream.PassivateAsync();
    }

    private static async Task ForwardWithEvents(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emit("A"), ForwardTo(entity.Id));
        await stream.ExpectAsync(Forward(1, entity.Id).WithEvents("A"));
        await stream.SendProcessAsync(2);
        await stream.ExpectAsync(Reply(2, "A"));
        await stream.PassivateAsync();
    }

    private static async Task ForwardWithEventsAndSnapshot(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emits("A", "B", "C"));
        await stream.ExpectAsync(Reply(1, "ABC").WithEvents("A", "B", "C"));
        await stream.SendProcessAsync(2, Emit("D"), Emit("E"), ForwardTo(entity.Id));
        await stream.ExpectAsync(Forward(2, entity.Id).WithEvents("D", "E").WithSnapshot("ABCDE"));
        await stream.PassivateAsync();
    }

    private static async Task ReplyWithSideEffect(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, Emits("A", "B", "C"));
        await stream.ExpectAsync(Reply(1, "ABC").WithEvents("A", "B", "C"));
        await stream.SendProcessAsync(2, EffectTo(entity.Id));
        await stream.ExpectAsync(Reply(2, "ABC").WithSideEffects(entity.Id));
        await stream.SendProcessAsync(3);
        await stream.ExpectAsync(Reply(3, "ABC"));
        await stream.PassivateAsync();
    }

    private static async Task SynchronousSideEffect(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, EffectTo(entity.Id, synchronous: true));
        await stream.ExpectAsync(Reply(1, "").WithSynchronousSideEffects(entity.Id));
        await stream.SendProcessAsync(2, EffectTo("1", synchronous: true), EffectTo("2"));
        await stream.ExpectAsync(Reply(2, "").WithSynchronousSideEffects("1").WithSideEffects("2"));
        await stream.PassivateAsync();
    }

    private static async Task ForwardWithSideEffect(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, EffectTo(entity.Id), ForwardTo(entity.Id));
        await stream.ExpectAsync(Forward(1, entity.Id).WithSideEffects(entity.Id));
        await stream.PassivateAsync();
    }

    private static async Task SeveralSideEffects(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, EffectsTo("1", "2", "3"));
        await stream.ExpectAsync(Reply(1, "").WithSideEffects("1", "2", "3"));
        await stream.PassivateAsync();
    }

    private static async Task SideEffectsEventsAndSnapshot(ModelEntity entity)
    {
        using var stream = entity.Open();
        await stream.InitAsync();
        await stream.SendProcessAsync(1, [.. Emits("A", "B", "C", "D", "E"), .. EffectsTo("1", "2", "3")]);
        await stream.ExpectAsync(Reply(1, "ABCDE").WithEvents("A", "B", "C", "D", "E").WithSnapshot("ABCDE").WithSideEffects("1", "2", "3"));
        await stream.PassivateAsync();
    }
}
