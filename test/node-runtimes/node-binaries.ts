/**
 * The Node binaries of .ci/node-runtimes (the npm `node` package, which installs the platform binary of
 * its own version from the npm registry): `npm ci --prefix .ci/node-runtimes` puts them there.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const RUNTIMES = path.join(__dirname, '..', '..', '.ci', 'node-runtimes', 'node_modules');

/** The path of the Node `major` binary; throws, saying how to install it, when it is absent. */
export function nodeBinary(major: 22 | 24): string {
  const binary = path.join(RUNTIMES, `node${major}`, 'bin', 'node');
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run \`npm ci --prefix .ci/node-runtimes\` (or \`npx projen test:node-runtimes\`)`);
  }
  return binary;
}
