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
