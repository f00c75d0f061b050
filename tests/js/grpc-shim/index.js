// The `grpc` package that Cloudstate's JavaScript support library (npm `cloudstate` 0.0.3) requires is native and no
// longer installs. This stand-in re-exports @grpc/grpc-js and emulates the one API that changed shape: the old
// synchronous `Server.bind(address, credentials)` returning the port, then `start()`.
"use strict";

const grpc = require("@grpc/grpc-js");

class Server extends grpc.Server {
  bind(address, credentials) {
    const port = Number(address.slice(address.lastIndexOf(":") + 1));
    if (!port) {
      throw new Error(`grpc shim: bind needs an explicit port (got ${address}); set PORT.`);
    }
    this.bound = new Promise((resolve, reject) =>
      this.bindAsync(address, credentials, (error, actual) => (error ? reject(error) : resolve(actual))));
    return port;
  }

  start() {
    // grpc-js serves as soon as bindAsync completes; report a failed bind loudly instead of silently.
    this.bound.catch((error) => {
      console.error(`grpc shim: cannot listen: ${error.message}`);
      process.exit(1);
    });
  }
}

module.exports = { ...grpc, Server };
