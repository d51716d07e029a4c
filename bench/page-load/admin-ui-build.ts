import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { adminUiDistDir } from '../../server/src/paths.js';
import { repoRoot } from '../child.js';

/**
 * The servers serve the sign-in page from admin-ui/dist (the build), and only when it exists.
 * A missing build is made here; an existing one is used as it is, and the note says when it is
 * older than the code it was built from (the figures are then those of that older build).
 */

const SOURCE_ROOTS = ['admin-ui/src', 'admin-ui/index.html', 'admin-ui/vite.config.ts', 'shared/src'];

async function newestFile(path: string): Promise<{ path: string; mtimeMs: number } | null> {
  const info = await stat(path).catch(() => null);
  if (!info) return null;
  if (!info.isDirectory()) return { path, mtimeMs: info.mtimeMs };
  let newest: { path: string; mtimeMs: number } | null = null;
  for (const entry of await readdir(path)) {
    const candidate = await newestFile(join(path, entry));
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}

function runBuild(progress: (message: string) => void): Promise<void> {
  progress('admin-ui/dist is missing: building shared and admin-ui (npm run build -w shared && npm run build -w admin-ui)');
  return new Promise((resolve, reject) => {
    const child = spawn('npm run build -w shared && npm run build -w admin-ui', { cwd: repoRoot, shell: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors = `${errors}${chunk.toString()}`.slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building admin-ui failed (exit ${code}): ${errors}`))));
  });
}

/** Makes sure admin-ui/dist exists; returns a sentence about the build the figures measure. */
export async function ensureAdminUiBuild(progress: (message: string) => void): Promise<string> {
  const indexHtml = join(adminUiDistDir, 'index.html');
  if (!existsSync(indexHtml)) {
    const startedMs = Date.now();
    await runBuild(progress);
    return `admin-ui/dist was missing: built it for this run (${((Date.now() - startedMs) / 1000).toFixed(0)} s).`;
  }
  const builtAt = (await stat(indexHtml)).mtimeMs;
  const sources = await Promise.all(SOURCE_ROOTS.map((root) => newestFile(join(repoRoot, root))));
  const newest = sources.reduce<{ path: string; mtimeMs: number } | null>((best, file) => (file && (!best || file.mtimeMs > best.mtimeMs) ? file : best), null);
  const built = new Date(builtAt).toISOString();
  if (newest && newest.mtimeMs > builtAt) {
    progress(`admin-ui/dist (built ${built}) is older than ${relative(repoRoot, newest.path)}: measuring that older build (npm run build to refresh)`);
    return `admin-ui/dist as found, built ${built}: OLDER than its sources (${relative(repoRoot, newest.path)} changed ${new Date(newest.mtimeMs).toISOString()}), so these figures are of that older build; \`npm run build\` refreshes it.`;
  }
  return `admin-ui/dist as found, built ${built}, newer than every file of admin-ui/src and shared/src.`;
}
