namespace Cloudstate.Es.Proxy.UserFunction;

/// <summary>
/// The user function broke the Cloudstate protocol on an entity stream: a frame or message the proxy must not accept.
/// The message completes "the user function broke the protocol: ...", in the proxy's words.
/// </summary>
internal sealed class UserFunctionProtocolException(string message) : Exception(message);
