import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureFerretdbBinary } from '../../server/src/db/embedded/ferretdb.ts';
import { executableOnPath, ferretdbBinaryPath, gatherFacts, mongodDownloaded } from './machine.mjs';
import { databaseVerdict } from './rules.mjs';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const temporaryDirs = [];

function temporaryDir() {
  const dir = mkdtempSync(join(tmpdir(), 'prerequisites-'));
  temporaryDirs.push(dir);
  return dir;
}

function writeExecutable(file, body = '#!/bin/sh\nexit 0\n') {
  writeFileSync(file, body);
  chmodSync(file, 0o755);
}

/** A repository with what gatherFacts reads and none of what the tests need. */
function bareRepository() {
  const root = temporaryDir();
  writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: '>=26.0.0' } }));
  mkdirSync(join(root, 'server', 'ferretdb'), { recursive: true });
  cpSync(join(REPO_ROOT, 'server', 'ferretdb', 'go.mod'), join(root, 'server', 'ferretdb', 'go.mod'));
  return root;
}

afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('executableOnPath', () => {
  it('finds an executable in any PATH entry, and not a plain file of that name', () => {
    const withPlainFile = temporaryDir();
    writeFileSync(join(withPlainFile, 'mongod'), 'not a program');
    const withProgram = temporaryDir();
    writeExecutable(join(withProgram, 'mongod'));
    expect(executableOnPath('mongod', withPlainFile)).toBe(false);
    expect(executableOnPath('mongod', `${withPlainFile}:${withProgram}`)).toBe(true);
    expect(executableOnPath('mongod', '')).toBe(false);
  });
});

describe('ferretdbBinaryPath', () => {
  it('names the binary exactly as the embedded-database code builds it', async () => {
    const cacheDir = temporaryDir();
    const expected = ferretdbBinaryPath(join(REPO_ROOT, 'server', 'ferretdb'), cacheDir);
    mkdirSync(join(cacheDir, 'ferretdb'));
    writeExecutable(expected);
    // Without go on PATH a different name fails at once instead of starting a one-minute build.
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      await expect(ensureFerretdbBinary(cacheDir, () => {})).resolves.toBe(expected);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('mongodDownloaded', () => {
  it('finds a mongod that mongodb-memory-server downloaded, in its folders', () => {
    const root = temporaryDir();
    const home = temporaryDir();
    expect(mongodDownloaded(root, { HOME: home })).toBe(false);
    mkdirSync(join(home, '.cache', 'mongodb-binaries'), { recursive: true });
    writeFileSync(join(home, '.cache', 'mongodb-binaries', 'README'), '');
    expect(mongodDownloaded(root, { HOME: home })).toBe(false);
    writeExecutable(join(home, '.cache', 'mongodb-binaries', 'mongod-x64-debian12-8.2.6'));
    expect(mongodDownloaded(root, { HOME: home })).toBe(true);
  });

  it('takes MONGOMS_SYSTEM_BINARY only when it names a program', () => {
    const dir = temporaryDir();
    const home = temporaryDir();
    expect(mongodDownloaded(dir, { HOME: home, MONGOMS_SYSTEM_BINARY: join(dir, 'missing') })).toBe(false);
    writeExecutable(join(dir, 'mongod'));
    expect(mongodDownloaded(dir, { HOME: home, MONGOMS_SYSTEM_BINARY: join(dir, 'mongod') })).toBe(true);
  });
});

describe('gatherFacts', () => {
  it('on a machine with an old go and nothing else, reads its version and the verdict names it', () => {
    const root = bareRepository();
    const bin = temporaryDir();
    writeExecutable(join(bin, 'go'), '#!/bin/sh\necho "go version go1.19.8 linux/amd64"\n');
    const facts = gatherFacts(root, { PATH: bin, HOME: temporaryDir(), E2E_CHROMIUM_PATH: join(bin, 'chromium') });
    expect(facts.database).toMatchObject({ mongodOnPath: false, mongodDownloaded: false, ferretdbBuilt: false, goMinimum: '1.24' });
    expect(facts.database.readGoVersion()).toContain('go1.19.8');
    expect(databaseVerdict(facts.database)).toMatchObject({ status: 'missing', line: expect.stringContaining('this is Go 1.19.8') });
    expect(facts.dependencies.vitestInstalled).toBe(false);
    expect(facts.node).toMatchObject({ supportedRange: '>=26.0.0', runnerRange: undefined });
    expect(facts.browser).toEqual({ chromiumPath: join(bin, 'chromium'), chromiumExecutable: false });
  });

  it('does not run go when a database is already at hand', () => {
    const root = bareRepository();
    const bin = temporaryDir();
    const marker = join(bin, 'go-was-run');
    writeExecutable(join(bin, 'go'), `#!/bin/sh\ntouch "${marker}"\necho "go version go1.26.0 linux/amd64"\n`);
    writeExecutable(join(bin, 'mongod'));
    const facts = gatherFacts(root, { PATH: bin, HOME: temporaryDir() });
    expect(facts.database.mongodOnPath).toBe(true);
    expect(databaseVerdict(facts.database)).toEqual({ status: 'ok' });
    expect(existsSync(marker)).toBe(false);
    // The same go, asked directly, does run: the marker is a real witness.
    facts.database.readGoVersion();
    expect(existsSync(marker)).toBe(true);
  });

  it('counts an empty MONGODB_URI as unset and finds the FerretDB already built for these sources', () => {
    const root = bareRepository();
    const binary = ferretdbBinaryPath(join(root, 'server', 'ferretdb'), join(root, '.cache'));
    mkdirSync(join(root, '.cache', 'ferretdb'), { recursive: true });
    writeExecutable(binary);
    const facts = gatherFacts(root, { PATH: '', HOME: temporaryDir(), MONGODB_URI: '' });
    expect(facts.database).toMatchObject({ mongodbUri: undefined, ferretdbBuilt: true });
    expect(facts.database.readGoVersion()).toBeUndefined();
    expect(databaseVerdict(facts.database)).toEqual({ status: 'ok' });
  });
});
