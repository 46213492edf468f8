import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { testBuilt } from '../util/built-artifact';

const root = join(__dirname, '..', '..');
// The file the published package's `bin` points at: this is what `npx cognito-device-sweep` runs.
const bin: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin['cognito-device-sweep'];
const bundle = join(root, bin);

testBuilt(bundle, `the bundled ${bin} prints its help with plain node`, () => {
  const run = spawnSync(process.execPath, [bundle, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Usage: cognito-device-sweep --user-pool-id ID');
  expect(run.stdout).toContain('--stale-after <duration>');
  expect(run.stderr).toBe('');
  // Self-contained: it starts with a shebang and needs nothing from node_modules.
  expect(readFileSync(bundle, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
});
