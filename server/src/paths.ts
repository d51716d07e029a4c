import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * Absolute paths the server needs, computed from this file's location so they
 * are right whether the server runs from `src/` (tsx, vitest) or `dist/` (node):
 * both sit one level below `server/`.
 */
export const serverDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = join(serverDir, '..');
export const defaultDataDir = join(repoRoot, '.data');
export const cacheDir = join(repoRoot, '.cache');
export const adminUiDistDir = join(repoRoot, 'admin-ui', 'dist');
export const ferretdbSourceDir = join(serverDir, 'ferretdb');
