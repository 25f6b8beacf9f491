/** Where podlaw's own files are: everything is found relative to the checkout, never the working directory. */
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');
export const fixturesDir = join(repoRoot, 'fixtures');
export const reportsDir = join(repoRoot, 'reports');
