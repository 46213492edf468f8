/** Reading the audit sink's own objects back (a retried slice reads what its earlier attempts wrote). */
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';

/** The object's text, or undefined when there is none. */
export async function readObject(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** JSON Lines to objects. */
export function parseLines<T>(text: string): T[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}
