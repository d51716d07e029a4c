import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminAccount } from './admin-bootstrap.js';

export const DEV_ADMIN_USERNAME = 'admin';

/**
 * In development without ADMIN_USERNAME, a newcomer still needs a way into the
 * dashboard: an `admin` user with a generated password kept in the data
 * directory (and printed at start). Never used in production or tests.
 */
export async function developmentAdmin(dataDir: string): Promise<AdminAccount> {
  const file = join(dataDir, 'admin-password');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(12).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const password = (await readFile(file, 'utf8')).trim();
  return { username: DEV_ADMIN_USERNAME, password, email: `${DEV_ADMIN_USERNAME}@admin.invalid` };
}
