/** The DynamoDB store against dynalite: keys per pool, batches, unprocessed keys and items, a deleted table. */
import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { startDynalite, Dynalite } from './dynalite';
import { DynamoDbNextCheckIndex } from '../../../src/sweep/next-check/stores/dynamodb-index';

const POOL_A = 'eu-west-1_AAAAAAAAA';
const POOL_B = 'eu-west-1_BBBBBBBBB';
const NOW = Date.parse('2026-06-01T00:00:00Z');
let db: Dynalite;
let tables = 0;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => db.stop());

async function freshTable(): Promise<string> {
  const name = `index-${tables++}`;
  await db.createIndexTable(name);
  return name;
}

test('stores entries and reads them back, per pool: another pool never sees them', async () => {
  const tableName = await freshTable();
  const index = new DynamoDbNextCheckIndex({ client: db.client, tableName, now: () => NOW, entryLifetimeSeconds: 1000 });
  await index.put(POOL_A, [{ username: 'alice', oldestUseMs: 111 }, { username: 'bob', oldestUseMs: 222 }]);
  expect(await index.get(POOL_A, ['alice', 'bob', 'carol'])).toEqual(new Map([
    ['alice', { username: 'alice', oldestUseMs: 111 }],
    ['bob', { username: 'bob', oldestUseMs: 222 }],
  ]));
  expect((await index.get(POOL_B, ['alice', 'bob'])).size).toBe(0);
  const items = (await db.client.send(new ScanCommand({ TableName: tableName }))).Items!;
  // The TTL attribute is refreshed on each write: epoch seconds of the write plus the lifetime.
  expect(items.map((i) => i.expiresAt.N)).toEqual([String(NOW / 1000 + 1000), String(NOW / 1000 + 1000)]);
  expect(items.map((i) => i.v.N)).toEqual(['1', '1']);
});

test('a later put replaces the entry and refreshes its expiry', async () => {
  const tableName = await freshTable();
  let now = NOW;
  const index = new DynamoDbNextCheckIndex({ client: db.client, tableName, now: () => now, entryLifetimeSeconds: 10 });
  await index.put(POOL_A, [{ username: 'alice', oldestUseMs: 1 }]);
  now += 5000;
  await index.put(POOL_A, [{ username: 'alice', oldestUseMs: 2 }]);
  expect((await index.get(POOL_A, ['alice'])).get('alice')).toEqual({ username: 'alice', oldestUseMs: 2 });
  const items = (await db.client.send(new ScanCommand({ TableName: tableName }))).Items!;
  expect(items.map((i) => i.expiresAt.N)).toEqual([String(now / 1000 + 10)]);
});

test('items of another format or malformed items are not entries', async () => {
  const tableName = await freshTable();
  await db.client.send(new BatchWriteItemCommand({
    RequestItems: {
      [tableName]: [
        { PutRequest: { Item: { userPoolId: { S: POOL_A }, username: { S: 'old' }, oldestUseMs: { N: '5' }, v: { N: '0' } } } },
        { PutRequest: { Item: { userPoolId: { S: POOL_A }, username: { S: 'nobound' }, v: { N: '1' } } } },
        { PutRequest: { Item: { userPoolId: { S: POOL_A }, username: { S: 'text' }, oldestUseMs: { S: '5' }, v: { N: '1' } } } },
        { PutRequest: { Item: { userPoolId: { S: POOL_A }, username: { S: 'good' }, oldestUseMs: { N: '5' }, v: { N: '1' } } } },
      ],
    },
  }));
  const index = new DynamoDbNextCheckIndex({ client: db.client, tableName });
  expect([...(await index.get(POOL_A, ['old', 'nobound', 'text', 'good'])).keys()]).toEqual(['good']);
});

test('UnprocessedKeys and UnprocessedItems are retried until everything is done', async () => {
  const tableName = await freshTable();
  const sent: string[] = [];
  // The real client, except that each first call processes only half of its request and hands the rest back.
  const stingy = {
    send: async (command: BatchGetItemCommand | BatchWriteItemCommand) => {
      const first = !sent.includes(command.constructor.name);
      sent.push(command.constructor.name);
      if (command instanceof BatchGetItemCommand) {
        const keys = command.input.RequestItems![tableName].Keys!;
        const half = first ? Math.ceil(keys.length / 2) : keys.length;
        const output = await db.client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys.slice(0, half) } } }));
        return { ...output, UnprocessedKeys: half < keys.length ? { [tableName]: { Keys: keys.slice(half) } } : {} };
      }
      const requests = command.input.RequestItems![tableName];
      const half = first ? Math.ceil(requests.length / 2) : requests.length;
      await db.client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests.slice(0, half) } }));
      return { UnprocessedItems: half < requests.length ? { [tableName]: requests.slice(half) } : {} };
    },
  } as unknown as DynamoDBClient;
  const index = new DynamoDbNextCheckIndex({ client: stingy, tableName });
  const entries = Array.from({ length: 25 }, (_, i) => ({ username: `u${i}`, oldestUseMs: i }));
  await index.put(POOL_A, entries);
  const found = await index.get(POOL_A, entries.map((e) => e.username));
  expect([...found.values()].sort((a, b) => a.oldestUseMs - b.oldestUseMs)).toEqual(entries);
  expect(sent).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
});

test('items DynamoDB never processes fail the put (the older entries stay)', async () => {
  const tableName = await freshTable();
  const never = {
    send: async (command: BatchWriteItemCommand) => ({ UnprocessedItems: command.input.RequestItems }),
  } as unknown as DynamoDBClient;
  const index = new DynamoDbNextCheckIndex({ client: never, tableName });
  await expect(index.put(POOL_A, [{ username: 'a', oldestUseMs: 1 }])).rejects.toThrow(/unprocessed/);
});

test('a deleted table makes get and put reject (the sweep then lists every user)', async () => {
  const tableName = await freshTable();
  const index = new DynamoDbNextCheckIndex({ client: db.client, tableName });
  await index.put(POOL_A, [{ username: 'a', oldestUseMs: 1 }]);
  await db.deleteTable(tableName);
  await expect(index.get(POOL_A, ['a'])).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(index.put(POOL_A, [{ username: 'a', oldestUseMs: 1 }])).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});
