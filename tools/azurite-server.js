#!/usr/bin/env node
// Starts Azurite (azurite@3.37.0, Blob + Queue + Table) exactly as its "azurite" bin does, with changes that keep
// its answers the same and make its cost stop growing with the data it holds:
//   1. a table query whose filter pins one partition (PartitionKey eq '…', alone or and-ed with other conditions)
//      reads only that partition's entities instead of every entity of the table;
//   2. a queue operation no longer rebuilds every index of the message collection when no message has expired;
//   3. a point read or write of one entity looks it up by whichever of its two keys fewer entities share;
//   4. a dequeued batch of messages is updated one message at a time, not by a rebuild of every index;
//   5. a queue's messages are found by the queue name's index, not by scanning every message of the account;
//   6. the scan for expired messages runs only once one of the queue's messages can have expired.
// (Each is explained where it is made.)
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

  // 3. Point reads and writes of one entity: Loki's findOne({RowKey, PartitionKey}) narrows by the index of the
  // query's first key and tests every entity that key's value matches. Neither key is always the narrow one: the
  // Durable history's row keys (sequence numbers) repeat in every instance, while a table of one partition (the
  // subscribers, a price change's delivery ledger) holds thousands of rows under one PartitionKey. So the lookup
  // asks both indices how many entities hold its value (two binary searches) and narrows by the fewer.
  // PartitionKey + RowKey is unique in a table, so at most one entity matches whichever key narrows first.
  const matchesOf = (collection, key, value) => {
    const [low, high] = collection.calculateRange("$eq", key, value);
    return high - low + 1;
  };
  const narrowestFirst = (collection, query) => {
    if (
      query === null ||
      typeof query !== "object" ||
      Object.keys(query).length !== 2 ||
      typeof query.RowKey !== "string" ||
      typeof query.PartitionKey !== "string" ||
      !collection.binaryIndices.PartitionKey ||
      !collection.binaryIndices.RowKey
    ) {
      return query;
    }
    if (collection.adaptiveBinaryIndices !== true) {
      collection.ensureIndex("PartitionKey");
      collection.ensureIndex("RowKey");
    }
    return matchesOf(collection, "PartitionKey", query.PartitionKey) <= matchesOf(collection, "RowKey", query.RowKey)
      ? { PartitionKey: query.PartitionKey, RowKey: query.RowKey }
      : { RowKey: query.RowKey, PartitionKey: query.PartitionKey };
  };
  const NARROWEST_FIRST = Symbol("findOne by the narrower key");
  const getEntityCollection = store.prototype.getEntityCollection;
  store.prototype.getEntityCollection = function getEntityCollectionReadByTheNarrowerKey(...args) {
    const collection = getEntityCollection.apply(this, args);
    if (collection && !collection[NARROWEST_FIRST]) {
      // An own property of this collection object (Loki's save skips functions and symbols); a recreated table is
      // a new collection object and gets it on its first use.
      const findOne = collection.findOne;
      collection.findOne = function findOneByTheNarrowerKey(query) {
        return findOne.call(this, narrowestFirst(this, query));
      };
      collection[NARROWEST_FIRST] = true;
    }
    return collection;
  };

  const queueStore = require("azurite/dist/src/queue/persistence/LokiQueueMetadataStore").default;

  // A view of the store's database whose message collection
  //   2. skips a remove of nothing (Loki's batch remove rebuilt every index even then);
  //   4. updates a dequeued batch one message at a time: Loki's batch update flags every binary index dirty and
  //      re-sorts all four over every message of every queue afterwards (Collection.update(array) ->
  //      ensureAllIndexes), where a single update moves the one entry in each index;
  //   5. finds a queue's messages by the queue name's index first: {accountName, queueName, …} narrowed by the
  //      account (one account holds every queue) and then tested every message. The same conditions are and-ed, so
  //      the same messages match; peek and get sort them by (timeNextVisible, $loki) afterwards, a total order.
  const queueFirst = (query) => {
    if (query === null || typeof query !== "object" || !("queueName" in query) || !("accountName" in query)) return query;
    const { queueName, ...rest } = query;
    return { queueName, ...rest };
  };
  const REAL_STORE = Symbol("the store a message view is of");
  const storeOf = (storeOrView) => storeOrView[REAL_STORE] ?? storeOrView;
  const withMessageView = (storeOrView) => {
    const queueStoreInstance = storeOf(storeOrView);
    const realDb = queueStoreInstance.db;
    const db = Object.create(realDb);
    db.getCollection = (name) => {
      const collection = realDb.getCollection(name);
      if (name !== queueStoreInstance.MESSAGES_COLLECTION || collection === null) return collection;
      const messages = Object.create(collection);
      messages.chain = (...args) => {
        const resultset = collection.chain(...args);
        const find = resultset.find;
        resultset.find = function findByQueueFirst(query, ...rest) {
          return find.call(this, queueFirst(query), ...rest);
        };
        return resultset;
      };
      messages.find = (query, ...rest) => collection.find(queueFirst(query), ...rest);
      messages.findOne = (query) => collection.findOne(query);
      messages.count = (query) => collection.count(query);
      messages.insert = (doc) => collection.insert(doc);
      messages.remove = (docs) => (Array.isArray(docs) && docs.length === 0 ? undefined : collection.remove(docs));
      messages.update = (docs) => (Array.isArray(docs) ? docs.forEach((doc) => collection.update(doc)) : collection.update(docs));
      return messages;
    };
    const view = Object.create(queueStoreInstance);
    view.db = db;
    view[REAL_STORE] = queueStoreInstance;
    return view;
  };

  // 6. Expired messages: before every peek, get, put and update, Azurite finds the queue's expired messages, a scan
  // of every message of the account. A message's expiry never changes once it is queued, so this remembers, per
  // queue, the earliest moment one of its messages can expire (as Loki's $lte would compare it) and skips the scan
  // until then. The memory is only ever early: messages deleted since only make a scan happen that finds nothing.
  // It starts empty (so the first call after a start scans) and is refreshed after every scan.
  const expiresAt = (expirationTime) => {
    // Loki's $lte (ltHelper) against a number: falsy, true or NaN values sort below every number (expired at once);
    // numbers and Dates compare as numbers; other strings (a Date reloaded from disk is an ISO string) never match.
    if (!expirationTime || expirationTime === true || expirationTime !== expirationTime) return -Infinity;
    const time = Number(expirationTime);
    return time === time ? time : Infinity;
  };
  const earliestExpiry = new WeakMap(); // store -> Map("account\nqueue" -> earliest expiry of its messages)
  const expiryOf = (storeInstance) => {
    let byQueue = earliestExpiry.get(storeInstance);
    if (byQueue === undefined) earliestExpiry.set(storeInstance, (byQueue = new Map()));
    return byQueue;
  };
  const queueId = (account, queue) => `${account}\n${queue}`;

  const clearExpiredMessages = queueStore.prototype.clearExpiredMessages;
  queueStore.prototype.clearExpiredMessages = async function clearExpiredMessagesWhenDue(account, queue, context) {
    const realStore = storeOf(this);
    const byQueue = expiryOf(realStore);
    const id = queueId(account, queue);
    const due = byQueue.get(id);
    if (due !== undefined && Date.now() < due) return;
    // Runs synchronously up to its end (Loki is synchronous), so the scan below sees what it left.
    const cleared = clearExpiredMessages.call(withMessageView(realStore), account, queue, context);
    let earliest = Infinity;
    for (const message of realStore.db.getCollection(realStore.MESSAGES_COLLECTION).find({ queueName: queue, accountName: account })) {
      earliest = Math.min(earliest, expiresAt(message.expirationTime));
    }
    byQueue.set(id, earliest);
    return cleared;
  };

  const insertMessage = queueStore.prototype.insertMessage;
  queueStore.prototype.insertMessage = async function insertMessageNotingExpiry(message, context) {
    await insertMessage.call(this, message, context);
    const byQueue = expiryOf(storeOf(this));
    const id = queueId(message.accountName, message.queueName);
    const due = byQueue.get(id);
    if (due !== undefined) byQueue.set(id, Math.min(due, expiresAt(message.expirationTime)));
  };

  for (const method of ["peekMessages", "getMessages", "deleteMessage", "updateMessage"]) {
    const original = queueStore.prototype[method];
    queueStore.prototype[method] = function onMessageView(...args) {
      return original.apply(withMessageView(this), args);
    };
  }
}

require("azurite/dist/src/azurite.js");
