/** A real DynamoDB-compatible server (dynalite, in memory) for the index tests, and the index table on it. */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { INDEX_PARTITION_KEY, INDEX_SORT_KEY } from '../../../src/sweep/next-check/stores/table-schema';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number }) => import('node:http').Server;

export interface Dynalite {
  readonly client: DynamoDBClient;
  createIndexTable(name: string): Promise<void>;
  deleteTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    client,
    createIndexTable: async (name) => {
      await client.send(new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: INDEX_PARTITION_KEY, AttributeType: 'S' }, { AttributeName: INDEX_SORT_KEY, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: INDEX_PARTITION_KEY, KeyType: 'HASH' }, { AttributeName: INDEX_SORT_KEY, KeyType: 'RANGE' }],
      }));
    },
    deleteTable: async (name) => {
      await client.send(new DeleteTableCommand({ TableName: name }));
    },
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
