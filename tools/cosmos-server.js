#!/usr/bin/env node
// Starts the Cosmos DB protocol server (@vercel/cosmosdb-server) on loopback through its library
// API instead of its CLI: the CLI answers every request with "connection: close", so each request
// pays a new TLS handshake; with keepAlive the same load runs about twice as fast.
//
// Usage: node tools/cosmos-server.js PORT [--journal PATH]
//   PORT            TCP port on 127.0.0.1 (0 picks a free one; the line below names it).
//   --journal PATH  Keep the data across restarts: every successful write is appended to PATH (one
//                   JSON line each), and at start the file is replayed into the empty server. The
//                   file and its folder are created if missing. Without it everything is kept in
//                   memory only: the server is empty every time it starts.
//
// Prints "cosmosdb-server listening on 127.0.0.1:PORT" once it accepts connections and the journal
// (if any) has been replayed (the .NET launcher waits for that line), and exits with code 0 on
// SIGTERM or SIGINT. Requests that arrive during the replay wait until it is over.
//
// The journal
// -----------
// One line per write that succeeded (2xx), appended with fs.appendFileSync before the response is
// sent: a client that saw a success has its write in the file (in the OS page cache: it survives a
// crash or kill -9 of this process, not a power cut - there is no fsync). A line:
//   {"method":"POST","url":"/dbs/app/colls/orders/docs","headers":{"x-ms-documentdb-partitionkey":"[\"c1\"]",
//    "content-type":"application/json"},"status":201,"etags":["6f1c…"],"ts":1764061234,"body":{"id":"o1",…}}
// - method, url (path and query) and body: the request as received (body omitted for DELETE);
// - headers: only those the server's handlers read (JOURNALED_HEADERS below), e.g. the partition
//   key, if-match, the upsert and batch flags;
// - status: the status it got; etags and ts: the _etag values (one per written resource, in order)
//   and the _ts the server gave the write. The replay reuses them, so after a restart documents,
//   databases and containers have the same _etag, _ts and _rid as before (_rid is a per-container
//   counter, reproduced by replaying the same writes in the same order): ETags a client holds from
//   before the restart still match, and the if-match headers in the journal hold on replay.
// Journaled: create, upsert, replace, patch and delete of documents; create and delete of databases;
// create, replace and delete of containers; user-defined functions; batches. Not journaled: reads,
// queries (POSTs that change nothing), and anything that failed.
//
// A line that does not parse is reported and skipped; an incomplete last line (a write cut short:
// its client never got an answer) is reported and cut off the file before new lines are appended.
// An entry whose replay fails (it can only if the state differs from the first time, e.g. after an
// earlier entry was skipped) is reported on stderr and skipped. The file only grows (deletes are
// lines too): delete it to start empty.
"use strict";

const { AsyncLocalStorage } = require("async_hooks");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { Readable } = require("stream");
const { createHttpsServer } = require("@vercel/cosmosdb-server");
const Items = require("@vercel/cosmosdb-server/lib/account/items").default;
const ResourceId = require("@vercel/cosmosdb-server/lib/account/resource-id").default;

// --- resource ids ----------------------------------------------------------------------------------
//
// Cosmos DB writes a resource id (_rid) as base64 with "-" in place of "/", because clients put _rid values in URL
// paths (the .NET SDK reads a container's partition key ranges at /dbs/{rid}/colls/{rid}/pkranges). The library uses
// plain base64, so some _rid values (the 63rd database's, for one) had a "/" in them, and requests by such a _rid
// went to a path that does not exist: 404 "stale cache" from the SDK on a query. Write and read them as Cosmos DB does.
ResourceId.toBase64String = (buffer) => buffer.toString("base64").replace(/\//g, "-");
ResourceId.fromBase64String = (text) => Buffer.from(text.replace(/-/g, "/"), "base64");

const HOST = "127.0.0.1";
const USAGE = "usage: node tools/cosmos-server.js PORT [--journal PATH]";

// Every request header a handler (or the router choosing one) of @vercel/cosmosdb-server 1.0.1
// reads and that changes what a write does. Read-only ones (continuation, max-item-count, a-im,
// query metrics) do not matter for writes.
const JOURNALED_HEADERS = [
  "content-type",
  "if-match",
  "x-ms-documentdb-partitionkey",
  "x-ms-documentdb-is-upsert",
  "x-ms-documentdb-isquery",
  "x-ms-cosmos-is-batch-request",
  "x-ms-cosmos-batch-atomic",
  "x-ms-cosmos-batch-continue-on-error",
];

// Batch operation types that write (and so draw an _etag), as @vercel/cosmosdb-server names them.
const BATCH_WRITES = new Set(["Create", "Upsert", "Replace", "Delete"]);

function parseArguments(argv) {
  let portArg;
  let journal;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--journal") {
      if (i + 1 >= argv.length || argv[i + 1] === "") return null;
      journal = argv[(i += 1)];
    } else if (arg.startsWith("--journal=") && arg.length > "--journal=".length) {
      journal = arg.slice("--journal=".length);
    } else if (portArg === undefined) {
      portArg = arg;
    } else {
      return null;
    }
  }

  const port = Number.parseInt(portArg ?? "", 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || String(port) !== portArg) return null;
  return { port, journal: journal === undefined ? undefined : path.resolve(journal) };
}

const args = parseArguments(process.argv.slice(2));
if (!args) {
  console.error(USAGE);
  process.exit(2);
}

// --- partition-scoped queries ------------------------------------------------------------------
//
// The library answers every query by copying and scanning every document of the container, even when the request
// names one partition (x-ms-documentdb-partitionkey), as every query of this project does and must. Its conditional
// patch (a FilterPredicate) is such a query too. So a query's cost grew with the container: a Customer 360 fold or a
// stock reservation took longer with every event stored, and a long soak stalled. Real Cosmos DB reads only the named
// partition. Here each container also keeps its documents by partition, and a request that names one partition
// queries only that partition's documents: the same results (the query still filters by its own WHERE clause, which
// must name the partition key anyway), at a cost that no longer grows with the rest of the container.
const requestPartition = new AsyncLocalStorage();

function partitionsOf(items) {
  if (!items._byPartition) items._byPartition = new Map();
  return items._byPartition;
}

function partitionKeyOf(items, data) {
  return JSON.stringify(items._getPartition(data) ?? null);
}

const originalSet = Items.prototype._set;
Items.prototype._set = function setAndIndexByPartition(data) {
  const result = originalSet.call(this, data);
  const partitions = partitionsOf(this);
  const key = partitionKeyOf(this, data);
  let members = partitions.get(key);
  if (!members) partitions.set(key, (members = new Map()));
  members.set(data._rid, this._data.get(data._rid));
  return result;
};

const originalDelete = Items.prototype.delete;
Items.prototype.delete = function deleteAndUnindex(idOrRid, partition) {
  const data = this._item("/id", idOrRid, partition).read();
  originalDelete.call(this, idOrRid, partition);
  if (data) {
    const members = partitionsOf(this).get(partitionKeyOf(this, data));
    if (members) {
      members.delete(data._rid);
      if (members.size === 0) partitionsOf(this).delete(partitionKeyOf(this, data));
    }
  }
};

const originalQuery = Items.prototype.query;
Items.prototype.query = function queryThePartitionOnly(params, options) {
  const partition = requestPartition.getStore();
  if (partition === undefined) return originalQuery.call(this, params, options);

  // The library's query reads this._data, and runs to the end synchronously: hand it the partition's documents alone
  // for that call.
  const all = this._data;
  this._data = partitionsOf(this).get(partition) ?? new Map();
  try {
    return originalQuery.call(this, params, options);
  } finally {
    this._data = all;
  }
};

// The partition a request names, as the index keys it; undefined when it names none (or a hierarchical key).
function namedPartition(req) {
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (typeof header !== "string") return undefined;
  try {
    const values = JSON.parse(header);
    if (!Array.isArray(values) || values.length !== 1) return undefined;
    const [value] = values;
    return ["string", "number", "boolean"].includes(typeof value) ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
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

// The library's own request listener (the handler it passed to https.createServer): the journal
// sits in front of it, and the replay calls it directly.
const libraryHandle = server.listeners("request")[0];
if (typeof libraryHandle !== "function") {
  console.error("cosmosdb-server failed: the server has no request listener to wrap");
  process.exit(1);
}

// Every request runs with the partition it names in scope, for queryThePartitionOnly above.
function handle(req, res) {
  return requestPartition.run(namedPartition(req), () => libraryHandle(req, res));
}

server.removeAllListeners("request");
server.on("request", handle);

let journal; // { path, fd } once replayed and open for appending
let held = args.journal ? [] : null; // requests that arrived during the replay

if (args.journal) {
  server.removeAllListeners("request");
  server.on("request", (req, res) => {
    if (held) {
      held.push([req, res]);
      return;
    }
    if (isWrite(req)) journalWrite(req, res);
    handle(req, res);
  });
}

server.listen(args.port, HOST, () => {
  const address = server.address();
  const ready = () => console.log(`cosmosdb-server listening on ${HOST}:${address.port}`);
  if (!args.journal) {
    ready();
    return;
  }

  // The account (the library creates it on "listening", which ran before this callback) exists
  // now, so the journal can be replayed through the request handler.
  openJournal(args.journal, address.port).then(
    () => {
      const waiting = held;
      held = null;
      for (const [req, res] of waiting) server.emit("request", req, res);
      ready();
    },
    (err) => {
      console.error(`cosmosdb-server failed: journal ${args.journal}: ${err.message}`);
      process.exit(1);
    },
  );
});

// --- journaling ------------------------------------------------------------------------------

function trueHeader(req, name) {
  const value = req.headers[name];
  if (!value) return false;
  return Array.isArray(value) ? value.some((v) => v.toLowerCase() === "true") : value.toLowerCase() === "true";
}

// Mirrors the library's router: a POST flagged as a query, or sent as application/query+json, reads.
function isWrite(req) {
  switch (req.method) {
    case "PUT":
    case "PATCH":
    case "DELETE":
      return true;
    case "POST":
      return !(trueHeader(req, "x-ms-documentdb-isquery") || req.headers["content-type"] === "application/query+json");
    default:
      return false;
  }
}

function journalWrite(req, res) {
  // The body is captured by listening to the same "data" events the handler's raw-body reader
  // listens to. Both listeners are attached in this same synchronous turn (the router calls the
  // handler synchronously and raw-body attaches at once), before the first chunk can be emitted,
  // so both see every chunk and nothing is consumed from under the handler. A DELETE has no body
  // worth keeping (the handlers ignore it).
  const chunks = req.method === "DELETE" ? null : [];
  if (chunks) req.on("data", (chunk) => chunks.push(chunk));

  const end = res.end;
  res.end = function endAfterJournaling(chunk, ...rest) {
    res.end = end;
    if (res.statusCode >= 200 && res.statusCode < 300) {
      try {
        fs.appendFileSync(journal.fd, journalLine(req, res.statusCode, chunks, chunk));
      } catch (err) {
        // The change is in memory but not in the journal, so it would be gone after a restart:
        // do not report success.
        console.error(`cosmosdb-server: journal write failed, answering 500: ${req.method} ${req.url}: ${err.message}`);
        res.statusCode = 500;
        res.removeHeader("etag");
        chunk = JSON.stringify({ code: "InternalServerError", message: `journal write failed: ${err.message}` });
      }
    }
    return end.call(this, chunk, ...rest);
  };
}

function journalLine(req, status, chunks, responseText) {
  const headers = {};
  for (const name of JOURNALED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }

  const entry = { method: req.method, url: req.url, headers, status };
  const written = writtenResources(req, chunks, responseText);
  if (written.etags.length > 0) entry.etags = written.etags;
  if (written.ts !== undefined) entry.ts = written.ts;

  let line = JSON.stringify(entry);
  if (chunks) {
    // The handler parsed this text as JSON, or the write would not have succeeded: it can go into
    // the line as it is, unless it spans lines (pretty-printed), which a line-per-entry file cannot hold.
    let body = Buffer.concat(chunks).toString();
    if (body.includes("\n") || body.includes("\r")) body = JSON.stringify(JSON.parse(body));
    if (body.trim() !== "") line = `${line.slice(0, -1)},"body":${body}}`;
  }
  return `${line}\n`;
}

// The _etag values the write drew (in the order the server drew them) and its _ts, from the
// response: { _etag, _ts, … } for one resource, [{ statusCode, eTag, resourceBody }, …] for a batch.
function writtenResources(req, chunks, responseText) {
  const result = { etags: [], ts: undefined };
  if (typeof responseText !== "string" || responseText === "") return result;

  let response;
  try {
    response = JSON.parse(responseText);
  } catch {
    return result;
  }

  if (Array.isArray(response)) {
    let operations = [];
    try {
      operations = JSON.parse(Buffer.concat(chunks ?? []).toString());
    } catch {
      // Not a batch after all; nothing to take from it.
    }
    response.forEach((op, i) => {
      const type = Array.isArray(operations) && operations[i] ? operations[i].operationType : undefined;
      if (op && op.statusCode < 300 && BATCH_WRITES.has(type) && op.resourceBody) {
        if (typeof op.eTag === "string") result.etags.push(op.eTag);
        if (result.ts === undefined && Number.isInteger(op.resourceBody._ts)) result.ts = op.resourceBody._ts;
      }
    });
  } else if (response && typeof response === "object") {
    if (typeof response._etag === "string") result.etags.push(response._etag);
    if (Number.isInteger(response._ts)) result.ts = response._ts;
  }
  return result;
}

// --- replay ----------------------------------------------------------------------------------

async function openJournal(file, port) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  takeLock(file);

  const started = process.hrtime.bigint();
  const { replayed, failed, complete } = await replayFile(file, port);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  // A torn last line (its write cut short) would glue itself to the next line appended: cut it off.
  if (fs.existsSync(file) && fs.statSync(file).size > complete) fs.truncateSync(file, complete);
  journal = { path: file, fd: fs.openSync(file, "a") };

  const failures = failed > 0 ? ` (${failed.toLocaleString("en-US")} failed or skipped, see above)` : "";
  console.log(
    `cosmosdb-server replayed ${replayed.toLocaleString("en-US")} writes from ${file} in ${seconds.toFixed(1)} s${failures}`,
  );
}

// Reads the journal line by line (it may be far larger than a string can hold) and replays each
// entry, in order, through the library's handler. Returns the byte length of the complete lines.
async function replayFile(file, port) {
  const counts = { replayed: 0, failed: 0, complete: 0 };
  if (!fs.existsSync(file)) return counts;

  const realRandomUUID = crypto.randomUUID;
  const realNow = Date.now;
  let current = null; // the entry being replayed
  let etagIndex = 0;

  // The library draws each resource's _etag from crypto.randomUUID() and its _ts from Date.now():
  // while an entry is replayed they hand back the values it got the first time. Nothing else runs
  // handlers meanwhile (requests are held back and entries go one at a time).
  crypto.randomUUID = function replayedUUID(...a) {
    if (current && current.etags && etagIndex < current.etags.length) return current.etags[etagIndex++];
    return realRandomUUID.apply(this, a);
  };
  Date.now = function replayedNow() {
    return current && Number.isInteger(current.ts) ? current.ts * 1000 : realNow();
  };

  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    let pending = []; // pieces of a line that started in an earlier read
    let pendingBytes = 0;
    let lineNumber = 0;
    let offset = 0;
    let lastProgress = realNow();
    let sinceYield = 0;

    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, offset);
      if (read === 0) break;
      offset += read;

      let start = 0;
      for (let nl = buffer.indexOf(10, start); nl !== -1 && nl < read; nl = buffer.indexOf(10, start)) {
        let text;
        if (pending.length > 0) {
          pending.push(buffer.subarray(start, nl));
          text = Buffer.concat(pending).toString();
          pending = [];
          pendingBytes = 0;
        } else {
          text = buffer.toString("utf8", start, nl);
        }
        counts.complete = offset - read + nl + 1;
        start = nl + 1;
        lineNumber += 1;
        if (text.trim() === "") continue;

        let entry;
        try {
          entry = JSON.parse(text);
          if (!entry || typeof entry.method !== "string" || typeof entry.url !== "string") throw new Error("not an entry");
        } catch (err) {
          counts.failed += 1;
          console.error(`cosmosdb-server: journal line ${lineNumber} skipped, it does not parse (${err.message}): ${abbreviate(text)}`);
          continue;
        }

        current = entry;
        etagIndex = 0;
        let outcome;
        try {
          outcome = await replayEntry(entry, port);
        } finally {
          current = null;
        }
        if (outcome.status >= 200 && outcome.status < 300) {
          counts.replayed += 1;
        } else {
          counts.failed += 1;
          console.error(
            `cosmosdb-server: journal line ${lineNumber} skipped: ${entry.method} ${entry.url} answered ${outcome.status}` +
              ` on replay (${entry.status ?? "2xx"} the first time): ${abbreviate(outcome.body ?? "")}`,
          );
        }

        // Entries resolve in microtasks alone: let the event loop run now and then, so a SIGTERM (or
        // the parent going away) stops a long replay, and new connections are accepted (and held).
        if (++sinceYield >= 500) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
          const now = realNow();
          if (now - lastProgress >= 5_000) {
            lastProgress = now;
            console.error(`cosmosdb-server: replaying ${file}: ${counts.replayed.toLocaleString("en-US")} writes so far`);
          }
        }
      }
      if (start < read) {
        pending.push(Buffer.from(buffer.subarray(start, read)));
        pendingBytes += read - start;
      }
    }

    if (pendingBytes > 0) {
      counts.failed += 1;
      console.error(
        `cosmosdb-server: journal ${file} ends with an incomplete line (${pendingBytes} bytes, a write cut short): skipped and cut off`,
      );
    }
  } finally {
    fs.closeSync(fd);
    crypto.randomUUID = realRandomUUID;
    Date.now = realNow;
  }
  return counts;
}

// Runs one entry through the library's request handler with a stand-in request (a stream holding
// the body) and response (which only records what the handler sets).
function replayEntry(entry, port) {
  return new Promise((resolve) => {
    const req = new Readable({ read() {} });
    req.method = entry.method;
    req.url = entry.url;
    req.headers = { ...entry.headers, host: `${HOST}:${port}` };
    if (entry.body !== undefined) req.push(Buffer.from(JSON.stringify(entry.body)));
    req.push(null);

    const headers = {};
    const res = {
      statusCode: 200,
      finished: false,
      setHeader(name, value) {
        headers[name.toLowerCase()] = value;
      },
      getHeader(name) {
        return headers[name.toLowerCase()];
      },
      removeHeader(name) {
        delete headers[name.toLowerCase()];
      },
      end(chunk) {
        res.finished = true;
        resolve({ status: res.statusCode, body: typeof chunk === "string" ? chunk : undefined });
      },
    };
    handle(req, res);
  });
}

function abbreviate(text) {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// Two servers appending to one journal would interleave two histories: the second one refuses to
// start. The lock file holds the owner's pid; one left behind by a process that is gone is taken over.
function takeLock(file) {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      process.on("exit", () => {
        try {
          if (fs.readFileSync(lock, "utf8").trim() === String(process.pid)) fs.unlinkSync(lock);
        } catch {
          // Already gone.
        }
      });
      return;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
    }

    const owner = Number.parseInt(readOrEmpty(lock), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(`in use by process ${owner} (lock file ${lock})`);
    }
    fs.rmSync(lock, { force: true }); // stale: its owner is gone
  }
  throw new Error(`could not take the lock file ${lock}`);
}

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

// --- stopping --------------------------------------------------------------------------------

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
