// A plain gRPC client of the shopping cart, built only from the sample's .proto: what any application would use to
// call the cart through the proxy.
//
//   node cart-client.js HOST:PORT add USER PRODUCT QUANTITY [NAME]
//   node cart-client.js HOST:PORT remove USER PRODUCT
//   node cart-client.js HOST:PORT get USER
//
// Prints the reply as JSON; on an error prints "error CODE_NAME: details" and exits with 1.
"use strict";

const path = require("path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const root = path.join(__dirname, "..", "..");
const definition = protoLoader.loadSync("shoppingcart.proto", {
  includeDirs: [
    path.join(root, "samples", "ShoppingCart", "Protos"),
    path.join(root, "protocol"),
    path.join(path.dirname(require.resolve("cloudstate/package.json")), "proto"),
  ],
  keepCase: true, defaults: true,
});
const ShoppingCart = grpc.loadPackageDefinition(definition).com.example.shoppingcart.ShoppingCart;

const [address, verb, user, ...rest] = process.argv.slice(2);
const client = new ShoppingCart(address, grpc.credentials.createInsecure());
const calls = {
  add: () => ["AddItem", { user_id: user, product_id: rest[0], name: rest[2] || rest[0], quantity: Number(rest[1]) }],
  remove: () => ["RemoveItem", { user_id: user, product_id: rest[0] }],
  get: () => ["GetCart", { user_id: user }],
};
if (!calls[verb]) {
  console.error("usage: node cart-client.js HOST:PORT add|remove|get USER [PRODUCT [QUANTITY [NAME]]]");
  process.exit(2);
}

const [method, request] = calls[verb]();
client[method](request, { deadline: Date.now() + 30000 }, (error, reply) => {
  if (error) {
    const name = Object.keys(grpc.status).find((key) => grpc.status[key] === error.code);
    console.log(`error ${name}: ${error.details}`);
    process.exit(1);
  }
  console.log(JSON.stringify(reply));
});
