import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import { testBuilt } from './util/built-artifact';

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'lib', 'index.js');

// Python, Java, .NET and Go users install the constructs without the AWS SDK, Powertools or the
// CLI's libraries: those live only inside the esbuild bundles. Loading the compiled library must not
// reach for any of them.
const BUNDLE_ONLY = ['@aws-sdk/', '@smithy/', '@aws-lambda-powertools/', 'commander', 'cli-progress'];
// Tools the tests use and nothing ships: the IAM evaluator (AGPL: a test-time tool passes nothing on to
// the package as long as neither the library nor a bundle contains it) and the Control Tower rules.
const TEST_ONLY = ['@cloud-copilot/', '@cdklabs/cdk-validator-cfnguard'];

testBuilt(compiled, 'the compiled library loads none of the bundle-only dependencies', () => {
  const loaded: string[] = JSON.parse(execFileSync(process.execPath, ['-e', `
    require(${JSON.stringify(compiled)});
    console.log(JSON.stringify(Object.keys(require.cache)));
  `], { cwd: root, encoding: 'utf8' }));

  const offending = loaded.filter((file) => [...BUNDLE_ONLY, ...TEST_ONLY].some((name) => file.includes(`node_modules/${name}`)));
  expect(offending).toEqual([]);
  expect(loaded.some((file) => file.includes('node_modules/aws-cdk-lib/'))).toBe(true);
});

test('package.json declares only the peers as runtime dependencies and ships the CLI bundle as its bin', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../package.json');
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'cdk-nag', 'constructs']);
  expect(pkg.bin).toEqual({ 'cognito-device-sweep': 'assets/cli/main/cognito-device-sweep.js' });
});

test('no source file imports a test-only tool, so no bundle can contain one', () => {
  const grep = spawnSync('git', ['grep', '-l', '-E', TEST_ONLY.map((name) => `['"]${name}`).join('|'), '--', 'src'], { cwd: root, encoding: 'utf8' });
  // git grep: status 1 is "no match".
  expect({ status: grep.status, files: grep.stdout.trim() }).toEqual({ status: 1, files: '' });
});
