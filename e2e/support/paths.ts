import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Gitignored: server log and screenshots of every run. */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'e2e');
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');
