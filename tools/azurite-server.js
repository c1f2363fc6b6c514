#!/usr/bin/env node
// Starts Azurite (azurite@3.37.0, Blob + Queue + Table) exactly as its "azurite" bin does, with two changes that
// keep its answers the same and make its cost stop growing with the data it holds:
//   1. a table query whose filter pins one partition (PartitionKey eq '…', alone or and-ed with other conditions)
//      reads only that partition's entities instead of every entity of the table;
//   2. a queue operation no longer rebuilds every index of the message collection when no message has expired.
//
// Usage: node tools/azurite-server.js [--as-published] AZURITE-ARGUMENTS…
//   AZURITE-ARGUMENTS  passed to Azurite unchanged (--tablePort, --location, --silent, …).
//   --as-published     run Azurite without these changes: the reference the tests compare with, and the "before"
//                      of docs/benchmarks.md.
//
// 1. Why: LokiTableMetadataStore.queryTableEntities runs `.chain().where(predicate)` over the whole table although
// the collection keeps a binary index on PartitionKey. The Durable Task Azure Storage backend reads an instance's
// history and state by partition on every episode, so locally each episode cost time in proportion to every
// history row the task hub had ever written, and a BOPIS run slowed down as it went. (tools/cosmos-server.js
// fixed the same flaw in the Cosmos protocol server.)
//
// How, keeping the results identical: the original queryTableEntities still runs - the same predicate, the same
// continuation (NextPartitionKey/NextRowKey), the same PartitionKey-then-RowKey sort, the same page size - only
// the chain it starts from is first narrowed with Loki's indexed find({PartitionKey: {$eq: key}}). The predicate
// still tests PartitionKey === key, so the narrowing may only ever drop entities the predicate would drop anyway.
//
// 2. Why: before every peek, get, put and update of a message, LokiQueueMetadataStore.clearExpiredMessages finds the
// queue's expired messages and calls coll.remove(expired) - also with an empty list, and Loki's batch remove then
// rebuilds every binary index of the collection (Collection.removeBatchByPositions -> ensureAllIndexes(true)), all
// four over every message of every queue. The Durable backend polls its queues all the time, so this was about a
// quarter of Azurite's CPU in a BOPIS run (docs/benchmarks.md). Removing nothing now does nothing; expired messages
// are still removed at the same moments.
"use strict";

const AS_PUBLISHED_FLAG = "--as-published";

const asPublished = process.argv.includes(AS_PUBLISHED_FLAG);

// Azurite parses process.argv itself and knows nothing of this script's flag.
process.argv = process.argv.filter((arg) => arg !== AS_PUBLISHED_FLAG);

if (!asPublished) {
  const store = require("azurite/dist/src/table/persistence/LokiTableMetadataStore").default;
  const parseQuery = require("azurite/dist/src/table/persistence/QueryInterpreter/QueryParser").default;
  const AndNode = require("azurite/dist/src/table/persistence/QueryInterpreter/QueryNodes/AndNode").default;
  const EqualsNode = require("azurite/dist/src/table/persistence/QueryInterpreter/QueryNodes/EqualsNode").default;
  const IdentifierNode = require("azurite/dist/src/table/persistence/QueryInterpreter/QueryNodes/IdentifierNode").default;
  const ConstantNode = require("azurite/dist/src/table/persistence/QueryInterpreter/QueryNodes/ConstantNode").default;

  // The partition key a filter pins, or undefined. A filter pins one when PartitionKey eq 'text' is one of the
  // terms of its top-level and-chain (parentheses only group; "or" and "not" pin nothing). The interpreter
  // compares such a term with ===, so only entities of that partition can match. Identifiers are case-sensitive
  // there ("partitionkey" is an ordinary property), and so they are here.
  const pinnedPartitionKey = (node) => {
    if (node instanceof AndNode) return pinnedPartitionKey(node.left) ?? pinnedPartitionKey(node.right);
    if (!(node instanceof EqualsNode)) return undefined;
    const [identifier, constant] =
      node.left instanceof IdentifierNode ? [node.left, node.right] : [node.right, node.left];
    const pins =
      identifier instanceof IdentifierNode &&
      identifier.identifier === "PartitionKey" &&
      constant instanceof ConstantNode &&
      typeof constant.value === "string";
    return pins ? constant.value : undefined;
  };

  const partitionOf = (filter) => {
    if (typeof filter !== "string" || filter === "") return undefined;
    try {
      return pinnedPartitionKey(parseQuery(filter));
    } catch {
      return undefined; // Azurite's own path reports the invalid filter as it always has.
    }
  };

  const scanEveryEntity = store.prototype.queryTableEntities;
  store.prototype.queryTableEntities = function queryPinnedPartitionByIndex(context, account, table, queryOptions, ...rest) {
    const partitionKey = partitionOf(queryOptions?.filter);
    if (partitionKey === undefined) return scanEveryEntity.call(this, context, account, table, queryOptions, ...rest);

    // The original method, on a view of this store whose entity collection starts its chains at that partition.
    const realStore = this;
    const partitionScoped = Object.create(realStore);
    partitionScoped.getEntityCollection = (...args) => {
      const collection = realStore.getEntityCollection(...args);
      const scoped = Object.create(collection);
      scoped.chain = () => collection.chain().find({ PartitionKey: { $eq: partitionKey } });
      return scoped;
    };
    return scanEveryEntity.call(partitionScoped, context, account, table, queryOptions, ...rest);
  };

  const queueStore = require("azurite/dist/src/queue/persistence/LokiQueueMetadataStore").default;
  const clearExpiredMessages = queueStore.prototype.clearExpiredMessages;
  queueStore.prototype.clearExpiredMessages = function clearExpiredMessagesIfAny(account, queue, context) {
    // The original method, on a view of this store whose message collection skips a remove of nothing.
    const realDb = this.db;
    const db = Object.create(realDb);
    db.getCollection = (name) => {
      const collection = realDb.getCollection(name);
      if (name !== this.MESSAGES_COLLECTION || collection === null) return collection;
      const messages = Object.create(collection);
      messages.chain = (...args) => collection.chain(...args);
      messages.remove = (docs) => (Array.isArray(docs) && docs.length === 0 ? undefined : collection.remove(docs));
      return messages;
    };
    const view = Object.create(this);
    view.db = db;
    return clearExpiredMessages.call(view, account, queue, context);
  };
}

require("azurite/dist/src/azurite.js");
