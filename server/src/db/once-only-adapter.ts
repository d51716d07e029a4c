import type { DBAdapter, DBAdapterInstance, Where } from '@better-auth/core/db/adapter';
import type { BetterAuthOptions } from '@better-auth/core';
import type { Db } from 'mongodb';
import type { DatabaseCapabilities } from './capabilities.js';
import { OnceClaims } from './claims.js';

/** Where the adapter's claims live: apart from the WeChat claims, so each sweep knows what it owns. */
export const ADAPTER_CLAIMS_COLLECTION = 'auth_once_claims';

/** How long a claim is kept: it only has to outlive the race; the state change itself makes later callers fail. */
const CLAIM_TTL_MS = 24 * 60 * 60_000;

/**
 * better-auth's single-use steps rest on two conditional writes that MongoDB runs atomically and
 * FerretDB v1 does not (it finds, then writes): `consumeOne` (findOneAndDelete: authorization codes,
 * every consumed verification value) and `incrementOne` with a `field = null` guard on a field the
 * same call sets (findOneAndUpdate: refresh-token rotation marks the old token revoked). The probe saw
 * 2–3 winners of one findOneAndDelete in 3 of 30 rounds. Each such step here first claims a key by
 * inserting a fixed `_id` (atomic on FerretDB too); a caller that loses the claim gets what it would
 * get after losing the race on MongoDB: null.
 */
export function onceOnlyTransitions(inner: DBAdapterInstance, claims: OnceClaims): DBAdapterInstance {
  return (options: BetterAuthOptions) => wrapAdapter(inner(options), claims);
}

/**
 * The adapter better-auth should use on this database: wrapped where conditional writes are not
 * atomic. On MongoDB the extra insert would buy nothing, so the adapter is left as it is.
 */
export function adapterForCapabilities(inner: DBAdapterInstance, db: Db, capabilities: DatabaseCapabilities): DBAdapterInstance {
  if (capabilities.atomicConditionalWrites) return inner;
  return onceOnlyTransitions(inner, new OnceClaims(db, Date.now, ADAPTER_CLAIMS_COLLECTION));
}

/** The id the filter pins, if it pins exactly one document by id. */
function pinnedId(where: readonly Where[]): string | undefined {
  const clause = where.find((w) => w.field === 'id' && (w.operator === undefined || w.operator === 'eq'));
  return clause && typeof clause.value === 'string' ? clause.value : undefined;
}

/** Fields the filter requires to be null and the update sets: a transition that can happen once per document. */
function onceFields(where: readonly Where[], set: Record<string, unknown> | undefined): string[] {
  if (!set) return [];
  return where
    .filter((w) => w.value === null && (w.operator === undefined || w.operator === 'eq') && w.field in set)
    .map((w) => w.field)
    .sort();
}

export function wrapAdapter(adapter: DBAdapter, claims: OnceClaims): DBAdapter {
  const wrapped: DBAdapter = {
    ...adapter,
    // Inside a transaction the adapter handed to the callback must be wrapped too.
    transaction: (callback) => adapter.transaction((trx) => callback(trx === adapter ? wrapped : wrapAdapter(trx as DBAdapter, claims))),
    consumeOne: async (args) => {
      const id = pinnedId(args.where);
      if (id && !(await claims.claim(`consume:${args.model}:${id}`, CLAIM_TTL_MS))) return null;
      return adapter.consumeOne(args);
    },
    incrementOne: async (args) => {
      const id = pinnedId(args.where);
      const fields = onceFields(args.where, args.set as Record<string, unknown> | undefined);
      if (id && fields.length > 0 && !(await claims.claim(`transition:${args.model}:${id}:${fields.join(',')}`, CLAIM_TTL_MS))) return null;
      return adapter.incrementOne(args);
    },
  } as DBAdapter;
  return wrapped;
}
