import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every temporary folder of a bench run starts with this. */
const PREFIX = 'wechat-login-bench-';
/** A run takes minutes: a folder this old belongs to a run that was killed (SIGKILL leaves them behind). */
const STALE_AFTER_MS = 60 * 60 * 1000;

export function benchTempDir(purpose: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${purpose}-`));
}

export async function removeStaleTempDirs(): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(tmpdir(), name);
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory() || Date.now() - info.mtimeMs < STALE_AFTER_MS) continue;
    await rm(path, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
