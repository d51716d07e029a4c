import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { ferretdbSourceDir } from '../../paths.js';
import type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './types.js';

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 60_000;

/**
 * Builds the FerretDB program in `server/ferretdb/` into the cache when it is
 * missing. The file name carries a hash of the sources, so a change to them
 * (e.g. a FerretDB upgrade in go.mod) builds a fresh binary.
 */
export async function ensureFerretdbBinary(cacheDir: string, log: (message: string) => void): Promise<string> {
  const hash = createHash('sha256');
  const sources = (await readdir(ferretdbSourceDir)).filter((file) => file.endsWith('.go') || file === 'go.mod' || file === 'go.sum').sort();
  for (const file of sources) hash.update(file).update(await readFile(join(ferretdbSourceDir, file)));
  const binary = join(cacheDir, 'ferretdb', `ferretdb-embedded-${hash.digest('hex').slice(0, 12)}`);
  try {
    await access(binary);
    return binary;
  } catch {
    // not built yet
  }
  await mkdir(join(cacheDir, 'ferretdb'), { recursive: true });
  log(`building the embedded FerretDB with "go build" into ${binary} (first run only, about a minute)`);
  try {
    await execFileAsync('go', ['build', '-o', binary, '.'], {
      cwd: ferretdbSourceDir,
      env: { ...process.env, CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const detail = (error as { code?: string; stderr?: string }).code === 'ENOENT' ? 'go is not installed' : (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`could not build the embedded FerretDB: ${detail.trim()}`);
  }
  return binary;
}

/**
 * Runs FerretDB (SQLite backend) on a free loopback port. The child exits when
 * our stdin pipe closes, so it never outlives this process, even after a crash.
 */
export async function startFerretdb(options: EmbeddedDatabaseOptions & { listen?: string }): Promise<EmbeddedDatabase> {
  const binary = await ensureFerretdbBinary(options.cacheDir, options.log);
  await mkdir(options.dataPath, { recursive: true, mode: 0o700 });
  const child = spawn(binary, ['-listen', options.listen ?? '127.0.0.1:0', '-dir', options.dataPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail.push(chunk.toString());
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`FerretDB did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^READY (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited with code ${code}: ${stderrTail.join('').slice(-500)}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    kind: 'ferretdb',
    uri: `mongodb://${address}/`,
    dataPath: options.dataPath,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
