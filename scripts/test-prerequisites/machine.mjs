// @ts-check
/**
 * The facts rules.mjs decides on, read from this machine: files and PATH lookups, and one
 * `go version`, run only if the rule asks for it (Go is the last way left to a database). Everything here is quick, so
 * the check costs `npm test` well under a second.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * @param {string} file
 * @returns {boolean}
 */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {string} name
 * @param {string} pathEnv
 * @returns {boolean}
 */
export function executableOnPath(name, pathEnv) {
  return findOnPath(name, pathEnv) !== undefined;
}

/**
 * @param {string} name
 * @param {string} pathEnv
 * @returns {string | undefined} the first executable of that name in the PATH given (not this process's)
 */
function findOnPath(name, pathEnv) {
  return pathEnv.split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find(isExecutable);
}

/**
 * The file the embedded-database code builds FerretDB into. Must name it as
 * server/src/db/embedded/ferretdb.ts does (a hash of the Go sources); a test compares the two.
 * @param {string} ferretdbSourceDir
 * @param {string} cacheDir
 * @returns {string}
 */
export function ferretdbBinaryPath(ferretdbSourceDir, cacheDir) {
  const hash = createHash('sha256');
  const sources = readdirSync(ferretdbSourceDir).filter((file) => file.endsWith('.go') || file === 'go.mod' || file === 'go.sum').sort();
  for (const file of sources) hash.update(file).update(readFileSync(join(ferretdbSourceDir, file)));
  return join(cacheDir, 'ferretdb', `ferretdb-embedded-${hash.digest('hex').slice(0, 12)}`);
}

/**
 * Whether mongodb-memory-server has a mongod without downloading: one named by
 * MONGOMS_SYSTEM_BINARY, or a `mongod-*` in the folders it downloads into.
 * @param {string} rootDir
 * @param {NodeJS.ProcessEnv} env
 * @returns {boolean}
 */
export function mongodDownloaded(rootDir, env) {
  if (env.MONGOMS_SYSTEM_BINARY && isExecutable(env.MONGOMS_SYSTEM_BINARY)) return true;
  const folders = [env.MONGOMS_DOWNLOAD_DIR, join(rootDir, 'node_modules', '.cache', 'mongodb-memory-server'), join(env.HOME || homedir(), '.cache', 'mongodb-binaries')];
  return folders.some((folder) => {
    if (!folder || !existsSync(folder)) return false;
    return readdirSync(folder).some((file) => file.startsWith('mongod-') && isExecutable(join(folder, file)));
  });
}

/**
 * `go version`'s output; undefined when there is no go to run, empty when it would not say.
 * @param {string} pathEnv
 * @returns {string | undefined}
 */
function goVersionOutput(pathEnv) {
  const go = findOnPath('go', pathEnv);
  if (go === undefined) return undefined;
  try {
    return execFileSync(go, ['version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/**
 * @param {string} file
 * @returns {Record<string, unknown>}
 */
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * @param {unknown} manifest
 * @returns {string | undefined}
 */
function nodeEngines(manifest) {
  const engines = /** @type {{ engines?: { node?: unknown } }} */ (manifest).engines;
  return typeof engines?.node === 'string' ? engines.node : undefined;
}

/**
 * @param {string} rootDir the repository root
 * @param {NodeJS.ProcessEnv} env
 */
export function gatherFacts(rootDir, env) {
  const pathEnv = env.PATH ?? '';
  const vitestManifest = join(rootDir, 'node_modules', 'vitest', 'package.json');
  const vitestInstalled = existsSync(vitestManifest);
  const ferretdbSourceDir = join(rootDir, 'server', 'ferretdb');
  const goMod = readFileSync(join(ferretdbSourceDir, 'go.mod'), 'utf8');
  const database = {
    mongodbUri: env.MONGODB_URI || undefined,
    mongodOnPath: executableOnPath('mongod', pathEnv),
    mongodDownloaded: mongodDownloaded(rootDir, env),
    ferretdbBuilt: existsSync(ferretdbBinaryPath(ferretdbSourceDir, join(rootDir, '.cache'))),
    readGoVersion: () => goVersionOutput(pathEnv),
    goMinimum: /^go\s+(\S+)/m.exec(goMod)?.[1] ?? '1.24',
  };
  // The same default as e2e/support/browser.ts.
  const chromiumPath = env.E2E_CHROMIUM_PATH ?? '/usr/bin/chromium';
  return {
    dependencies: { vitestInstalled },
    node: {
      running: process.versions.node,
      supportedRange: nodeEngines(readJson(join(rootDir, 'package.json'))) ?? '*',
      runnerRange: vitestInstalled ? nodeEngines(readJson(vitestManifest)) : undefined,
    },
    database,
    browser: { chromiumPath, chromiumExecutable: isExecutable(chromiumPath) },
  };
}
