/**
 * Tests of build outputs (the CLI bundle, the compiled library). Locally, a test whose output is
 * not built yet is skipped with a note; under CI=true, where the build runs before the tests, a
 * missing output is a failure, never a silent skip.
 */
import { existsSync } from 'fs';

export function testBuilt(file: string, name: string, body: () => void): void {
  if (existsSync(file)) {
    test(name, body);
  } else if (process.env.CI === 'true') {
    test(name, () => {
      throw new Error(`${file} is not built; under CI=true the build makes it before the tests run`);
    });
  } else {
    test.skip(`${name} (SKIPPED: ${file} is not built; run \`npx projen build\` first)`, body);
  }
}

/** `testBuilt` for a whole block of tests on one output. */
export function describeBuilt(file: string, name: string, body: () => void): void {
  if (existsSync(file)) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    test(name, () => {
      throw new Error(`${file} is not built; under CI=true the build makes it before the tests run`);
    });
  } else {
    describe.skip(`${name} (SKIPPED: ${file} is not built; run \`npx projen bundle\` first)`, body);
  }
}

/**
 * The built output when there is one, else `source` (locally, before a build); under CI=true the
 * output must exist, so a test of the shipped bundle never quietly runs the source instead.
 */
export function builtOr(file: string, source: string): string {
  if (existsSync(file)) return file;
  if (process.env.CI === 'true') throw new Error(`${file} is not built; under CI=true the build makes it before the tests run`);
  return source;
}
