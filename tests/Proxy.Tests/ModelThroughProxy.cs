using Cloudstate.Es.TestModel;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>Builds model requests for tests that drive the test model through the proxy.</summary>
internal static class ModelRequests
{
    public static Request Of(string id, params RequestAction[] actions) => new() { Id = id, Actions = { actions } };

    public static RequestAction Emit(string value) => new() { Emit = new Emit { Value = value } };

    public static RequestAction Forward(string id) => new() { Forward = new Forward { Id = id } };

    public static RequestAction Effect(string id, bool synchronous) => new() { Effect = new Effect { Id = id, Synchronous = synchronous } };

    /// <summary>A failure, or one of the misbehaviours the scripted user function knows by name (see ScriptedEventSourced).</summary>
    public static RequestAction Fail(string message) => new() { Fail = new Fail { Message = message } };

    /// <summary>
    /// Sends <paramref name="request"/> until it is answered, for a store coming back: <c>UNAVAILABLE</c> means not yet,
    /// any other error fails the test. Returns the state the answer carries (never null).
    /// </summary>
    public static Task<string?> AnswerOnceBackAsync(Model.ModelClient model, Request request) =>
        Eventually.PollAsync(
            async () =>
            {
                try
                {
                    return (await model.ProcessAsync(request)).Message;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    return null;
                }
            },
            state => state is not null,
            "a command to succeed after the store is back");

    /// <summary>A call's reply, or the error it ended with.</summary>
    public static async Task<(string? Reply, RpcException? Error)> Outcome(Task<string> call)
    {
        try
        {
            return (await call, null);
        }
        catch (RpcException e)
        {
            return (null, e);
        }
    }
}
