// A Cloudstate protocol client that is not part of the .NET code: it acts as a proxy would towards a user function,
// using only the protocol published with the official JavaScript support library (npm `cloudstate`) and the
// descriptors the user function returns at discovery.
//
//   node protocol-client.js HOST:PORT
//
// Discovers the shopping cart, then drives one EventSourced.handle stream: AddItem twice, GetCart, and an AddItem
// with a negative quantity. Prints one line per check and exits non-zero on the first that fails.
"use strict";

const path = require("path");
const assert = require("assert/strict");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");
const protobuf = require("protobufjs");
const descriptor = require("protobufjs/ext/descriptor");

const address = process.argv[2] || "127.0.0.1:8080";
const publishedProtocol = path.join(path.dirname(require.resolve("cloudstate/package.json")), "proto");
const CART = "com.example.shoppingcart.ShoppingCart";
const TYPE_PREFIX = "type.googleapis.com/";

function loadProtocol() {
  const definition = protoLoader.loadSync(["cloudstate/entity.proto", "cloudstate/event_sourced.proto"], {
    includeDirs: [publishedProtocol], keepCase: true, longs: Number, defaults: true, oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).cloudstate;
}

function check(name, fn) {
  fn();
  console.log(`ok - ${name}`);
}

async function main() {
  const cloudstate = loadProtocol();
  const credentials = grpc.credentials.createInsecure();
  const discovery = new cloudstate.EntityDiscovery(address, credentials);
  const spec = await new Promise((resolve, reject) => discovery.discover({
    protocol_major_version: 0, protocol_minor_version: 2, proxy_name: "js-protocol-client", proxy_version: "1",
    supported_entity_types: ["cloudstate.eventsourced.EventSourced"],
  }, { deadline: Date.now() + 10000 }, (error, reply) => (error ? reject(error) : resolve(reply))));

  const entity = spec.entities.find((e) => e.service_name === CART);
  check("discovery lists the shopping cart as an event-sourced entity", () => {
    assert.ok(entity, `no ${CART} in ${JSON.stringify(spec.entities)}`);
    assert.equal(entity.entity_type, "cloudstate.eventsourced.EventSourced");
    assert.equal(entity.persistence_id, "shopping-cart");
  });

  const root = protobuf.Root.fromDescriptor(descriptor.FileDescriptorSet.decode(spec.proto));
  const type = (name) => root.lookupType(name);
  check("the discovered descriptors describe the cart's messages", () => {
    assert.ok(root.lookupService(CART).methods.AddItem);
  });

  const pack = (name, value) => ({ type_url: TYPE_PREFIX + name, value: type(name).encode(type(name).fromObject(value)).finish() });
  const unpack = (any) => type(any.type_url.slice(TYPE_PREFIX.length)).decode(any.value);

  const call = new cloudstate.eventsourced.EventSourced(address, credentials).handle();
  const replies = [];
  const waiting = [];
  call.on("data", (message) => (waiting.length ? waiting.shift()(message) : replies.push(message)));
  call.on("error", (error) => { console.error(`not ok - stream error: ${error.message}`); process.exit(1); });
  const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((resolve) => waiting.push(resolve)));
  let commandId = 0;
  const command = (name, messageType, value) => {
    call.write({ command: { entity_id: "js-user", id: ++commandId, name, payload: pack(messageType, value) } });
    return next();
  };

  call.write({ init: { service_name: CART, entity_id: "js-user" } });
  const add = (quantity) => command("AddItem", "com.example.shoppingcart.AddLineItem",
    { user_id: "js-user", product_id: "apple", name: "Apple", quantity });

  const first = await add(2);
  const second = await add(3);
  check("each AddItem replies with one ItemAdded event", () => {
    for (const [reply, id] of [[first, 1], [second, 2]]) {
      assert.equal(reply.message, "reply");
      assert.equal(Number(reply.reply.command_id), id);
      assert.equal(reply.reply.events.length, 1);
      assert.equal(reply.reply.events[0].type_url, TYPE_PREFIX + "com.example.shoppingcart.persistence.ItemAdded");
    }
  });

  const cart = await command("GetCart", "com.example.shoppingcart.GetShoppingCart", { user_id: "js-user" });
  check("GetCart sums the quantities of both AddItem commands", () => {
    const items = unpack(cart.reply.client_action.reply.payload).items;
    assert.deepEqual(items.map((i) => [i.product_id, i.quantity]), [["apple", 5]]);
  });

  const negative = await add(-1);
  check("a negative quantity returns a failure with the message and no events", () => {
    assert.equal(negative.reply.client_action.action, "failure");
    assert.match(negative.reply.client_action.failure.description, /Cannot add -1 of item apple/);
    assert.equal(negative.reply.events.length, 0);
  });

  call.end();
  console.log("all checks passed");
}

main().catch((error) => {
  console.error(`not ok - ${error.stack || error}`);
  process.exit(1);
});
