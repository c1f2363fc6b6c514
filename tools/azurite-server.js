#!/usr/bin/env node
// Starts Azurite (azurite@3.37.0, Blob + Queue + Table) exactly as its "azurite" bin does, with one change: a table
// query whose filter pins one partition (PartitionKey eq '…', alone or and-ed with other conditions) reads only
// that partition's entities instead of every entity of the table.
//
// Usage: node tools/azurite-server.js [--full-scan-queries] AZURITE-ARGUMENTS…
//   AZURITE-ARGUMENTS    passed to Azurite unchanged (--tablePort, --location, --silent, …).
//   --full-scan-queries  run Azurite's own query path, unchanged: the reference the tests compare with, and the
//                        "before" of docs/benchmarks.md.
//
// Why: LokiTableMetadataStore.queryTableEntities runs `.chain().where(predicate)` over the whole table although
// the collection keeps a binary index on PartitionKey. The Durable Task Azure Storage backend reads an instance's
// history and state by partition on every episode, so locally each episode cost time in proportion to every
// history row the task hub had ever written, and a BOPIS run slowed down as it went. (tools/cosmos-server.js
// fixed the same flaw in the Cosmos protocol server.)
//
// How, keeping the results identical: the original queryTableEntities still runs - the same predicate, the same
// continuation (NextPartitionKey/NextRowKey), the same PartitionKey-then-RowKey sort, the same page size - only
// the chain it starts from is first narrowed with Loki's indexed find({PartitionKey: {$eq: key}}). The predicate
// still tests PartitionKey === key, so the narrowing may only ever drop entities the predicate would drop anyway.
"use strict";

const FULL_SCAN_FLAG = "--full-scan-queries";

const fullScan = process.argv.includes(FULL_SCAN_FLAG);

// Azurite parses process.argv itself and knows nothing of this script's flag.
process.argv = process.argv.filter((arg) => arg !== FULL_SCAN_FLAG);

if (!fullScan) {
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
}

require("azurite/dist/src/azurite.js");
