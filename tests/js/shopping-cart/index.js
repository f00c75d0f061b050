// The shopping cart of samples/ShoppingCart, written on the official Cloudstate JavaScript support library
// (npm `cloudstate` 0.0.3) instead of our C# one: same .proto files, same rules, same failure messages.
//
//   cd tests/js && npm ci --ignore-scripts && ./setup     # once: protoc for the library, user-function.desc
//   cd tests/js/shopping-cart && PORT=8383 node index.js  # the library reads user-function.desc from the cwd
//
// Listens on 127.0.0.1:$PORT (default 8080) for a Cloudstate proxy. DEBUG=cloudstate* shows the library's traces.
"use strict";

const path = require("path");
const { EventSourced } = require("cloudstate");

const protos = path.join(__dirname, "..", "..", "..", "samples", "ShoppingCart", "Protos");

const entity = new EventSourced(
  ["shoppingcart.proto", "domain.proto"],
  "com.example.shoppingcart.ShoppingCart",
  {
    persistenceId: "shopping-cart",
    snapshotEvery: 5,
    includeDirs: [protos],
  });

// Events and the snapshot: the persisted types, as in the C# sample.
const pkg = "com.example.shoppingcart.persistence.";
const LineItem = entity.lookupType(pkg + "LineItem");
const ItemAdded = entity.lookupType(pkg + "ItemAdded");
const ItemRemoved = entity.lookupType(pkg + "ItemRemoved");
const Cart = entity.lookupType(pkg + "Cart");

// The state is the snapshot type itself: the lines in the order products were first added.
entity.setInitial(() => Cart.create({ items: [] }));

entity.setBehavior(() => ({
  commandHandlers: {
    AddItem: addItem,
    RemoveItem: removeItem,
    GetCart: getCart,
  },
  eventHandlers: {
    ItemAdded: itemAdded,
    ItemRemoved: itemRemoved,
  },
}));

function addItem(item, cart, ctx) {
  // ctx.fail throws, so nothing after a failure runs and nothing is emitted.
  if (item.quantity < 1) {
    ctx.fail(`Cannot add ${item.quantity} of item ${item.productId}: the quantity must be at least 1.`);
  }
  if (!item.productId) {
    ctx.fail("Cannot add an item without a product id.");
  }
  ctx.emit(ItemAdded.create({
    item: LineItem.create({ productId: item.productId, name: item.name, quantity: item.quantity }),
  }));
  return {};
}

function removeItem(item, cart, ctx) {
  if (!cart.items.some(line => line.productId === item.productId)) {
    ctx.fail(`Cannot remove item ${item.productId} because it is not in the cart.`);
  }
  ctx.emit(ItemRemoved.create({ productId: item.productId }));
  return {};
}

function getCart(request, cart) {
  return {
    items: cart.items.map(line => ({ productId: line.productId, name: line.name, quantity: line.quantity })),
  };
}

// A product already in the cart keeps its place and sums its quantity.
function itemAdded(added, cart) {
  const item = added.item;
  let found = false;
  const items = cart.items.map(line => {
    if (line.productId !== item.productId) {
      return line;
    }
    found = true;
    return LineItem.create({ productId: line.productId, name: line.name, quantity: line.quantity + item.quantity });
  });
  if (!found) {
    items.push(LineItem.create({ productId: item.productId, name: item.name, quantity: item.quantity }));
  }
  return Cart.create({ items });
}

function itemRemoved(removed, cart) {
  return Cart.create({ items: cart.items.filter(line => line.productId !== removed.productId) });
}

const port = Number(process.env.PORT || 8080);
entity.start({ bindAddress: "127.0.0.1", bindPort: port });
