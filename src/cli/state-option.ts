/** `--state FILE`: the next-check index of incremental runs, in a local file. */
import { accessSync, constants, existsSync, statSync } from 'fs';
import { dirname, resolve } from 'path';
import { UsageError } from './usage-error';
import { StateFileError, StateFileIndex } from '../sweep/next-check/stores/state-file-index';

/** Checks the path before any call: an hours-long run must not end with a state it cannot save. */
export function checkStatePath(path: string): string {
  if (path.trim() === '') throw new UsageError('--state: give a file name');
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`--state: '${path}' is a directory; give a file name`);
  try {
    // The file is replaced by a rename, so the directory must be writable.
    accessSync(dirname(target), constants.W_OK);
  } catch {
    throw new UsageError(`--state: cannot write in '${dirname(target)}'; give a file in an existing, writable directory`);
  }
  return path;
}

/** Loads the state file; an unusable one is bad input (exit 2, nothing called), never silently replaced. */
export function loadState(path: string): StateFileIndex {
  try {
    return StateFileIndex.load(path);
  } catch (error) {
    if (error instanceof StateFileError) throw new UsageError(`--state: ${error.message}`);
    throw error;
  }
}
