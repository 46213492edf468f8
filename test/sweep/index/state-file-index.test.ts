/** The CLI's state file: absent is empty, written atomically and owner-only, anything unusable refused with a clear error. */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateFileError, StateFileIndex } from '../../../src/sweep/next-check/stores/state-file-index';

const POOL_A = 'eu-west-1_AAAAAAAAA';
const POOL_B = 'us-east-1_BBBBBBBBB';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'state-file-'));
}

test('a missing file is an empty index; save writes it with the format, version and pool ids', async () => {
  const dir = tempDir();
  const path = join(dir, 'state.json');
  const index = StateFileIndex.load(path);
  expect((await index.get(POOL_A, ['alice'])).size).toBe(0);
  await index.put(POOL_A, [{ username: 'alice', oldestUseMs: 10 }]);
  await index.put(POOL_B, [{ username: 'alice', oldestUseMs: 20 }]);
  index.save();
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
    format: 'cognito-device-sweep-state', version: 1, pools: { [POOL_A]: { alice: 10 }, [POOL_B]: { alice: 20 } },
  });
  // Owner-only (usernames may be personal data), and no temp file left beside it.
  expect(statSync(path).mode.toString(8).slice(-3)).toBe('600');
  expect(readdirSync(dir)).toEqual(['state.json']);

  const reloaded = StateFileIndex.load(path);
  expect(await reloaded.get(POOL_A, ['alice', 'bob'])).toEqual(new Map([['alice', { username: 'alice', oldestUseMs: 10 }]]));
  expect(await reloaded.get(POOL_B, ['alice'])).toEqual(new Map([['alice', { username: 'alice', oldestUseMs: 20 }]]));
  expect((await reloaded.get('eu-west-1_CCCCCCCCC', ['alice'])).size).toBe(0);
});

test('creation bounds are stored beside the last-use bound, and read back', async () => {
  const path = join(tempDir(), 'state.json');
  const index = StateFileIndex.load(path);
  await index.put(POOL_A, [{ username: 'alice', oldestUseMs: 10, oldestCreateMs: 5 }, { username: 'bob', oldestUseMs: 7 }]);
  index.save();
  expect(JSON.parse(readFileSync(path, 'utf8')).pools).toEqual({ [POOL_A]: { alice: [10, 5], bob: 7 } });
  expect(await StateFileIndex.load(path).get(POOL_A, ['alice', 'bob'])).toEqual(new Map([
    ['alice', { username: 'alice', oldestUseMs: 10, oldestCreateMs: 5 }],
    ['bob', { username: 'bob', oldestUseMs: 7 }],
  ]));
});

test('malformed bound pairs are dropped like other unusable entries', async () => {
  const path = join(tempDir(), 'state.json');
  writeFileSync(path, JSON.stringify({ format: 'cognito-device-sweep-state', version: 1, pools: { [POOL_A]: { a: [1], b: [1, 'x'], c: [1, 2, 3], d: [4, 3] } } }));
  expect([...(await StateFileIndex.load(path).get(POOL_A, ['a', 'b', 'c', 'd'])).keys()]).toEqual(['d']);
});

test('save without changes does not touch the file', () => {
  const path = join(tempDir(), 'state.json');
  StateFileIndex.load(path).save();
  expect(() => statSync(path)).toThrow(/ENOENT/);
});

test('entries that are not numbers are dropped (their users are swept in full); the others are kept', async () => {
  const path = join(tempDir(), 'state.json');
  writeFileSync(path, JSON.stringify({ format: 'cognito-device-sweep-state', version: 1, pools: { [POOL_A]: { a: 'x', b: null, c: 5 }, [POOL_B]: 7 } }));
  const index = StateFileIndex.load(path);
  expect([...(await index.get(POOL_A, ['a', 'b', 'c'])).keys()]).toEqual(['c']);
  expect((await index.get(POOL_B, ['a'])).size).toBe(0);
});

test.each([
  ['not JSON', '{"format": "cognito-device-sweep-st', /is not valid JSON/],
  ['another JSON file', '{"name": "my-package"}', /is not a cognito-device-sweep-state file \(refusing to overwrite it\)/],
  ['a JSON array', '[]', /is not a cognito-device-sweep-state file/],
  ['another version', '{"format": "cognito-device-sweep-state", "version": 2, "pools": {}}', /has version 2; this program reads version 1/],
  ['no pools', '{"format": "cognito-device-sweep-state", "version": 1}', /has no pools object/],
])('%s is refused with a StateFileError', (_, text, message) => {
  const path = join(tempDir(), 'state.json');
  writeFileSync(path, text);
  expect(() => StateFileIndex.load(path)).toThrow(StateFileError);
  expect(() => StateFileIndex.load(path)).toThrow(message);
});

test('a directory in place of the file is refused with a StateFileError', () => {
  expect(() => StateFileIndex.load(tempDir())).toThrow(/cannot read the state file/);
});
