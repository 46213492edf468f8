import { awscdk, javascript, JsonFile } from 'projen';

/** The Lambda runtime every discovered `*.lambda.ts` handler is pinned to (no regional-latest mapping). */
const LAMBDA_RUNTIME = awscdk.LambdaRuntime.NODEJS_24_X;

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
    // Only for Amazon's model of the Cognito API and its parameter validator (test/peers/aws-request-model.ts).
    'aws-sdk@^2',
  ],

  // Lambda handlers (`src/**/*.lambda.ts`) are bundled by esbuild with the AWS SDK inside, so the
  // code that runs in Lambda is the exact SDK version the tests ran against.
  lambdaOptions: {
    runtime: LAMBDA_RUNTIME,
    bundlingOptions: { externals: [], sourcemap: true },
  },

  publishToPypi: { distName: 'cdk-cognito-devices', module: 'cdk_cognito_devices' },
  publishToMaven: {
    javaPackage: 'io.github.cdkcognitodevices',
    mavenGroupId: 'io.github.cdk-cognito-devices',
    mavenArtifactId: 'cdk-cognito-devices',
  },
  publishToNuget: { dotNetNamespace: 'CdkCognitoDevices', packageId: 'CdkCognitoDevices' },
  publishToGo: { moduleName: 'github.com/cdk-cognito-devices/cdk-cognito-devices-go' },

  // Integration snapshots keep templates (diffed by the integ:*:assert tasks) but not the bundled
  // assets, which the assert task skips anyway and which change with every engine edit.
  gitignore: ['/bench-results/', '/.demo/', 'test/*.integ.snapshot/asset.*'],
  jestOptions: {
    jestConfig: {
      // The simulator and the engine tests open loopback sockets; keep workers few on 2 cores.
      maxWorkers: 2,
      testTimeout: 60_000,
    },
  },
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
