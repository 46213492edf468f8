/**
 * Loads the integration apps (test/*.integ.ts) as integ-runner would, and hands back their App
 * objects so a test can synthesize them: each module is loaded afresh with `App` replaced by a
 * subclass that records its instances (the modules create their App at load time and export nothing).
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { App, AppProps } from 'aws-cdk-lib';

const TEST_DIR = path.join(__dirname, '..');

/** The integ app files, by name (`device-purge.integ.ts`). */
export function integAppFiles(): string[] {
  return readdirSync(TEST_DIR).filter((f) => f.endsWith('.integ.ts')).sort();
}

/** The App that `file` creates, made with `props` merged into its own (validation plugins, context). */
export function loadIntegApp(file: string, props: AppProps = {}): App {
  const apps: App[] = [];
  jest.isolateModules(() => {
    jest.doMock('aws-cdk-lib', () => {
      const actual = jest.requireActual('aws-cdk-lib');
      class RecordingApp extends actual.App {
        constructor(own: AppProps = {}) {
          super({ ...own, ...props, context: { ...own.context, ...props.context } });
          apps.push(this as unknown as App);
        }
      }
      return new Proxy(actual, { get: (target, key) => (key === 'App' ? RecordingApp : target[key]) });
    });
    // A synchronous require is the only way to load a module afresh inside isolateModules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(TEST_DIR, file));
  });
  jest.dontMock('aws-cdk-lib');
  if (apps.length !== 1) throw new Error(`${file} created ${apps.length} apps, not one`);
  return apps[0];
}
