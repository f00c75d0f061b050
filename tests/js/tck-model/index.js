// The Cloudstate TCK model (tests/Tck/Protos/tck_model.proto) written on the official Cloudstate JavaScript support
// library (npm `cloudstate` 0.0.3): the same three event-sourced entities as our C# model (tests/Tck/Model), in one
// user function, so that the proxy can be checked against a support library that is not ours.
//
//   cd tests/js && npm ci --ignore-scripts && ./setup     # once: protoc for the library, tck-model/user-function.desc
//   PORT=8686 node tests/js/tck-model/index.js            # from anywhere: it changes to its own directory
//
// Listens on 127.0.0.1:$PORT (default 8080) for a Cloudstate proxy. DEBUG=cloudstate* shows the library's traces.
//
// How the model's actions map onto 0.0.3 (see node_modules/cloudstate/src/command-helper.js, eventsourced-support.js):
//   emit    -> ctx.emit(Persisted{value}); 0.0.3 applies emitted events to the state only after the handler returns,
//              so the handler also folds them into its own copy of the state for the reply.
//   forward -> ctx.thenForward(EventSourcedTwo.Call, Request{id}); the library then ignores the handler's return value.
//   effect  -> ctx.effect(EventSourcedTwo.Call, Request{id}, synchronous).
//   fail    -> ctx.fail(message); it throws, so later actions do not run and nothing emitted is persisted.
// Forwards and effects must name the method by its gRPC definition (path "/cloudstate.tck.model.EventSourcedTwo/Call"):
// 0.0.3 looks the target up by the full service name, and for a protobufjs method it would use the short one.
//
// What 0.0.3 cannot do here: EventSourcedConfigured's passivation timeout of 100 ms. The library's protocol
// (cloudstate/entity.proto of Cloudstate 0.0.x) has no passivation strategy on Entity, and EventSourced takes no such
// option, so discovery declares that entity without one and the proxy applies its default.
"use strict";

const path = require("path");

// The library reads user-function.desc from the working directory (EventSourced's constructor insists on it).
process.chdir(__dirname);

const { CloudState, EventSourced } = require("cloudstate");

const protos = path.join(__dirname, "..", "..", "Tck", "Protos");
const model = "cloudstate.tck.model.";

function entity(service, persistenceId, options) {
  return new EventSourced(["tck_model.proto"], model + service, {
    persistenceId,
    includeDirs: [protos],
    ...options,
  });
}

// Every 5 events the library snapshots the state itself, so the state is the snapshot type: Persisted{value}.
const tckModel = entity("EventSourcedTckModel", "event-sourced-tck-model", { snapshotEvery: 5 });
const two = entity("EventSourcedTwo", "event-sourced-tck-model-2");
const configured = entity("EventSourcedConfigured", "event-sourced-configured");

const Persisted = tckModel.lookupType(model + "Persisted");
const Request = tckModel.lookupType(model + "Request");

// The gRPC method definition of EventSourcedTwo.Call, the target of forwards and effects.
const twoCall = tckModel.grpc.cloudstate.tck.model.EventSourcedTwo.service.Call;

tckModel.setInitial(() => Persisted.create({ value: "" }));
tckModel.setBehavior(() => ({
  commandHandlers: { Process: processRequest },
  eventHandlers: { Persisted: persisted },
}));

function processRequest(request, state, ctx) {
  let value = state.value;
  for (const action of request.actions) {
    if (action.emit) {
      ctx.emit(Persisted.create({ value: action.emit.value }));
      value += action.emit.value;
    } else if (action.forward) {
      ctx.thenForward(twoCall, Request.create({ id: action.forward.id }));
    } else if (action.effect) {
      ctx.effect(twoCall, Request.create({ id: action.effect.id }), action.effect.synchronous);
    } else if (action.fail) {
      ctx.fail(action.fail.message);
    }
  }
  return { message: value };
}

function persisted(event, state) {
  return Persisted.create({ value: state.value + event.value });
}

// EventSourcedTwo and EventSourcedConfigured: an empty Response to every Call, no events.
for (const empty of [two, configured]) {
  empty.setInitial(() => Persisted.create({ value: "" }));
  empty.setBehavior(() => ({
    commandHandlers: { Call: () => ({}) },
    eventHandlers: {},
  }));
}

const server = new CloudState({
  descriptorSetPath: path.join(__dirname, "user-function.desc"),
  serviceName: "cloudstate-es-tck-model-js",
  serviceVersion: "0.0.3",
});
server.addEntity(tckModel, two, configured);

const port = Number(process.env.PORT || 8080);
server.start({ bindAddress: "127.0.0.1", bindPort: port });
