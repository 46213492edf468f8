/**
 * A Lambda function of a synthesized template, run as Lambda would run it: its bundle (the asset the
 * template references), the environment the template sets, Lambda's own variables, and credentials
 * whose access key id names the role it runs as, so the AWS gateway can tell who made each call.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { roleOfFunction } from '../iam/role-policies';
import { REGION, TemplateResolver } from '../iam/template-resolver';

const INVOKER = path.join(__dirname, 'invoke-bundle.js');
const REPO = path.join(__dirname, '..', '..');

export interface DeployedFunction {
  readonly logicalId: string;
  readonly roleLogicalId: string;
  /** The bundle file the function's handler is in. */
  readonly bundleFile: string;
  /** The function's environment as the template sets it, resolved. */
  readonly environment: Record<string, string>;
  /** The template's `Timeout`: what the remaining time starts at. */
  readonly timeoutSeconds: number;
}

/** The functions of `resolver`'s template whose code is the bundle of `entry` (`src/.../x.lambda.ts`). */
export function functionsRunning(resolver: TemplateResolver, entry: string): DeployedFunction[] {
  const bundleDir = path.join(REPO, bundleDirOf(entry));
  return Object.entries(resolver.template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .filter(([, r]) => path.resolve(String((r as any).Metadata?.['aws:asset:path'] ?? '')) === bundleDir)
    .map(([logicalId, r]) => {
      const [file, exported] = String(r.Properties.Handler).split('.');
      if (exported !== 'handler') throw new Error(`${logicalId}: handler ${r.Properties.Handler} is not index.handler`);
      return {
        logicalId,
        roleLogicalId: roleOfFunction(resolver, logicalId),
        bundleFile: path.join(bundleDir, `${file}.js`),
        environment: resolver.resolve(r.Properties.Environment?.Variables ?? {}),
        timeoutSeconds: Number(r.Properties.Timeout ?? 3),
      };
    });
}

/** Where projen's bundler writes the bundle of a `*.lambda.ts` entry. */
export function bundleDirOf(entry: string): string {
  return path.join('assets', entry.replace(/^src\//, '').replace(/\.ts$/, ''));
}

export interface InvokeOptions {
  /** The Node binary to run the bundle on. @default the one running the tests */
  readonly node?: string;
  /** The AWS gateway's endpoint. */
  readonly endpoint: string;
  readonly event: unknown;
  /** What `context.getRemainingTimeInMillis()` starts at. @default the function's timeout */
  readonly remainingTimeMs?: number;
}

/** What the handler returned or threw, and the Node version it ran on. */
export interface Invocation {
  readonly result?: any;
  readonly error?: { name: string; message: string };
  readonly node: string;
  readonly logs: string;
}

/** Runs `fn`'s handler once in a fresh process. */
export async function invoke(fn: DeployedFunction, options: InvokeOptions): Promise<Invocation> {
  const dir = mkdtempSync(path.join(tmpdir(), 'invoke-'));
  const resultFile = path.join(dir, 'result.json');
  try {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...fn.environment,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_ENDPOINT_URL: options.endpoint,
      AWS_ACCESS_KEY_ID: fn.roleLogicalId,
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const logs = await new Promise<string>((resolve, reject) => {
      const args = [INVOKER, fn.bundleFile, resultFile];
      const child = execFile(options.node ?? process.execPath, args, { env, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? reject(new Error(`${fn.logicalId}: ${error.message}\n${stderr}`)) : resolve(stdout + stderr)));
      child.stdin!.end(JSON.stringify({ event: options.event, remainingTimeMs: options.remainingTimeMs ?? fn.timeoutSeconds * 1000 }));
    });
    return { ...JSON.parse(readFileSync(resultFile, 'utf8')), logs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A custom resource's properties as CloudFormation delivers them to its handler: resolved, and every
 * scalar a string.
 */
export function deliveredProperties(resolver: TemplateResolver, logicalId: string): Record<string, unknown> {
  const stringify = (value: any): any => Array.isArray(value) ? value.map(stringify) :
    value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringify(v)])) : String(value);
  return stringify(resolver.resolve(resolver.template.Resources[logicalId].Properties));
}
