#!/usr/bin/env node
// Starts the Cosmos DB protocol server (@vercel/cosmosdb-server) on loopback through its library
// API instead of its CLI: the CLI answers every request with "connection: close", so each request
// pays a new TLS handshake; with keepAlive the same load runs about twice as fast.
//
// Usage: node tools/cosmos-server.js PORT
//   PORT  TCP port on 127.0.0.1 (0 picks a free one; the line below names it).
//
// Prints "cosmosdb-server listening on 127.0.0.1:PORT" once it accepts connections (the .NET
// launcher waits for that line), and exits with code 0 on SIGTERM or SIGINT. Everything is kept in memory: the server is empty every time it starts.
"use strict";

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const HOST = "127.0.0.1";

const portArg = process.argv[2];
const port = Number.parseInt(portArg ?? "", 10);
if (!Number.isInteger(port) || port < 0 || port > 65535 || String(port) !== portArg) {
  console.error("usage: node tools/cosmos-server.js PORT");
  process.exit(2);
}

const server = createHttpsServer({ keepAlive: true });

// Node closes idle keep-alive connections after 5 s by default, while .NET's SocketsHttpHandler
// keeps pooled connections for 60 s; a request sent on a connection the server is closing at that
// moment fails. A server timeout above the client's idle timeout avoids that race.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;

server.on("error", (err) => {
  // EADDRINUSE and the like: say why and exit non-zero, so the launcher reports it.
  console.error(`cosmosdb-server failed: ${err.message}`);
  process.exit(1);
});

server.listen(port, HOST, () => {
  const address = server.address();
  console.log(`cosmosdb-server listening on ${HOST}:${address.port}`);
});

let stopping = false;
function stop(reason) {
  if (stopping) return;
  stopping = true;
  console.log(`cosmosdb-server stopping (${reason})`);
  // Idle keep-alive connections would hold close() open until they time out: drop them.
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Whatever still hangs on (a request mid-flight), do not outlive the grace period.
  setTimeout(() => process.exit(0), 2_000).unref();
}

process.once("SIGTERM", () => stop("SIGTERM"));
process.once("SIGINT", () => stop("SIGINT"));
