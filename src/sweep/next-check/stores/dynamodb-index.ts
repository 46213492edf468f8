/** The next-check index in a DynamoDB table (the scheduled cleanup's store). */
import {
  AttributeValue, BatchGetItemCommand, BatchGetItemCommandOutput, BatchWriteItemCommand, BatchWriteItemCommandOutput, DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  INDEX_BOUND_ATTRIBUTE, INDEX_CREATE_BOUND_ATTRIBUTE, INDEX_FORMAT_ATTRIBUTE, INDEX_ITEM_FORMAT, INDEX_PARTITION_KEY, INDEX_SORT_KEY,
  INDEX_TTL_ATTRIBUTE,
} from './table-schema';
import type { NextCheckEntry, NextCheckIndex } from '../store';

/**
 * Entries live this long after their last write. A user who is not due is not rewritten, so the
 * lifetime must exceed staleAfter plus the time between runs; an entry that expired anyway only
 * means one full sweep of its user.
 */
export const DEFAULT_ENTRY_LIFETIME_SECONDS = 400 * 86_400;
/** Rounds of UnprocessedKeys / UnprocessedItems before giving up (keys left are then "no entry"; items left fail the put). */
const MAX_ROUNDS = 8;
const BASE_BACKOFF_MS = 50;

export interface DynamoDbIndexOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default DEFAULT_ENTRY_LIFETIME_SECONDS */
  readonly entryLifetimeSeconds?: number;
  /** Epoch ms clock for the TTL. @default Date.now */
  readonly now?: () => number;
}

export class DynamoDbNextCheckIndex implements NextCheckIndex {
  private readonly lifetimeSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: DynamoDbIndexOptions) {
    this.lifetimeSeconds = options.entryLifetimeSeconds ?? DEFAULT_ENTRY_LIFETIME_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async get(userPoolId: string, usernames: readonly string[]): Promise<ReadonlyMap<string, NextCheckEntry>> {
    const found = new Map<string, NextCheckEntry>();
    let keys: Record<string, AttributeValue>[] | undefined = [...new Set(usernames)].map((username) => keyOf(userPoolId, username));
    for (let round = 0; keys && keys.length > 0 && round < MAX_ROUNDS; round++) {
      if (round > 0) await backoff(round);
      const output: BatchGetItemCommandOutput = await this.options.client.send(new BatchGetItemCommand({
        RequestItems: { [this.options.tableName]: { Keys: keys } },
      }));
      for (const item of output.Responses?.[this.options.tableName] ?? []) {
        const entry = entryOf(item, userPoolId);
        if (entry) found.set(entry.username, entry);
      }
      keys = output.UnprocessedKeys?.[this.options.tableName]?.Keys;
    }
    return found;
  }

  async put(userPoolId: string, entries: readonly NextCheckEntry[]): Promise<void> {
    const expiresAt = String(Math.ceil(this.now() / 1000) + this.lifetimeSeconds);
    // One item per user: BatchWriteItem refuses two writes of the same key in one call.
    const byUser = new Map(entries.map((e) => [e.username, e]));
    let requests = [...byUser.values()].map((entry) => ({
      PutRequest: {
        Item: {
          ...keyOf(userPoolId, entry.username),
          [INDEX_BOUND_ATTRIBUTE]: { N: String(entry.oldestUseMs) },
          ...(entry.oldestCreateMs === undefined ? {} : { [INDEX_CREATE_BOUND_ATTRIBUTE]: { N: String(entry.oldestCreateMs) } }),
          [INDEX_TTL_ATTRIBUTE]: { N: expiresAt },
          [INDEX_FORMAT_ATTRIBUTE]: { N: String(INDEX_ITEM_FORMAT) },
        },
      },
    }));
    for (let round = 0; requests.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`DynamoDB left ${requests.length} next-check entries unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await backoff(round);
      const output: BatchWriteItemCommandOutput = await this.options.client.send(
        new BatchWriteItemCommand({ RequestItems: { [this.options.tableName]: requests } }),
      );
      requests = (output.UnprocessedItems?.[this.options.tableName] ?? []) as typeof requests;
    }
  }
}

function keyOf(userPoolId: string, username: string): Record<string, AttributeValue> {
  return { [INDEX_PARTITION_KEY]: { S: userPoolId }, [INDEX_SORT_KEY]: { S: username } };
}

/** An item as an entry of `userPoolId`; undefined when it is of another pool or format, or malformed. */
function entryOf(item: Record<string, AttributeValue>, userPoolId: string): NextCheckEntry | undefined {
  if (item[INDEX_PARTITION_KEY]?.S !== userPoolId) return undefined;
  if (item[INDEX_FORMAT_ATTRIBUTE]?.N !== String(INDEX_ITEM_FORMAT)) return undefined;
  const username = item[INDEX_SORT_KEY]?.S;
  const bound = Number(item[INDEX_BOUND_ATTRIBUTE]?.N);
  if (username === undefined || item[INDEX_BOUND_ATTRIBUTE]?.N === undefined || !Number.isFinite(bound)) return undefined;
  // The creation bound is optional (items written before it existed): a bad one is left out, not the entry.
  const created = Number(item[INDEX_CREATE_BOUND_ATTRIBUTE]?.N);
  return item[INDEX_CREATE_BOUND_ATTRIBUTE]?.N !== undefined && Number.isFinite(created)
    ? { username, oldestUseMs: bound, oldestCreateMs: created }
    : { username, oldestUseMs: bound };
}

function backoff(round: number): Promise<void> {
  const ms = BASE_BACKOFF_MS * 2 ** (round - 1) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
