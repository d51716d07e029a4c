import { describe, expect, it } from 'vitest';
import { browserVerdict, databaseVerdict, dependenciesVerdict, nodeVerdict } from './rules.mjs';

const ENGINES = '^22.22.2 || ^24.15.0 || >=26.0.0';
const VITEST_ENGINES = '^20.0.0 || ^22.0.0 || >=24.0.0';
const NOTHING = { mongodbUri: undefined, mongodOnPath: false, mongodDownloaded: false, ferretdbBuilt: false, readGoVersion: () => undefined, goMinimum: '1.24' };

/** One line that names what to do: the whole point of the check. */
function expectOneLine(verdict, ...mentions) {
  expect(verdict.status).toBe('missing');
  expect(verdict.line).not.toContain('\n');
  for (const mention of mentions) expect(verdict.line).toContain(mention);
}

describe('nodeVerdict', () => {
  it('is ok on a supported Node', () => {
    expect(nodeVerdict({ running: '26.12.1', supportedRange: ENGINES, runnerRange: VITEST_ENGINES })).toEqual({ status: 'ok' });
    expect(nodeVerdict({ running: '22.22.2', supportedRange: ENGINES, runnerRange: VITEST_ENGINES })).toEqual({ status: 'ok' });
  });

  it('warns, without stopping the tests, on a Node older than supported that the test runner still takes', () => {
    const verdict = nodeVerdict({ running: '20.20.2', supportedRange: ENGINES, runnerRange: VITEST_ENGINES });
    expect(verdict.status).toBe('warning');
    expect(verdict.line).toMatch(/^warning: Node\.js v20\.20\.2 is not supported \(package\.json engines: \^22\.22\.2 \|\| \^24\.15\.0 \|\| >=26\.0\.0\)/);
    expect(verdict.line).toContain('.ci/run');
  });

  it('stops on a Node the test runner does not declare, naming both ranges and the running version', () => {
    expectOneLine(nodeVerdict({ running: '18.19.1', supportedRange: ENGINES, runnerRange: VITEST_ENGINES }), 'v18.19.1', ENGINES, VITEST_ENGINES, 'nodejs.org');
    expectOneLine(nodeVerdict({ running: 'v23.1.0', supportedRange: ENGINES, runnerRange: VITEST_ENGINES }), 'v23.1.0');
  });

  it('does not stop anyone over a range it cannot read', () => {
    expect(nodeVerdict({ running: '26.0.0', supportedRange: '26.x', runnerRange: '>=24 || 1 - 2' })).toEqual({ status: 'ok' });
  });

  it('checks only the supported range before dependencies are installed', () => {
    expect(nodeVerdict({ running: '18.0.0', supportedRange: ENGINES, runnerRange: undefined }).status).toBe('warning');
  });
});

describe('dependenciesVerdict', () => {
  it('asks for npm ci when the test runner is not installed', () => {
    expect(dependenciesVerdict({ vitestInstalled: true })).toEqual({ status: 'ok' });
    expectOneLine(dependenciesVerdict({ vitestInstalled: false }), 'npm ci');
  });
});

describe('databaseVerdict', () => {
  it('needs nothing more when any way to a database is there', () => {
    expect(databaseVerdict({ ...NOTHING, mongodbUri: 'mongodb://db.internal:27017/test' })).toEqual({ status: 'ok' });
    expect(databaseVerdict({ ...NOTHING, mongodOnPath: true })).toEqual({ status: 'ok' });
    expect(databaseVerdict({ ...NOTHING, mongodDownloaded: true })).toEqual({ status: 'ok' });
    expect(databaseVerdict({ ...NOTHING, ferretdbBuilt: true })).toEqual({ status: 'ok' });
    expect(databaseVerdict({ ...NOTHING, readGoVersion: () => 'go version go1.26.8 linux/amd64\n' })).toEqual({ status: 'ok' });
    expect(databaseVerdict({ ...NOTHING, readGoVersion: () => 'go version go1.24 linux/arm64' })).toEqual({ status: 'ok' });
    expect(databaseVerdict({ ...NOTHING, readGoVersion: () => 'go version go1.24rc1 darwin/arm64' })).toEqual({ status: 'ok' });
  });

  it('names Go, mongod and MONGODB_URI in one line when there is none of them', () => {
    expectOneLine(databaseVerdict(NOTHING), 'Go ≥ 1.24', 'no go on PATH', 'apt-get install golang-go', 'https://go.dev/dl/', 'mongod on PATH', 'MONGODB_URI', 'README › Using a real MongoDB');
  });

  it('takes an empty MONGODB_URI as unset, as the test setup does', () => {
    expectOneLine(databaseVerdict({ ...NOTHING, mongodbUri: '' }), 'Go ≥ 1.24');
  });

  it('refuses a Go older than go.mod asks for, saying which one it found', () => {
    expectOneLine(databaseVerdict({ ...NOTHING, readGoVersion: () => 'go version go1.19.8 linux/amd64' }), 'Go ≥ 1.24', 'this is Go 1.19.8', 'mongod on PATH', 'MONGODB_URI');
    expectOneLine(databaseVerdict({ ...NOTHING, readGoVersion: () => 'go version go1.23.12 linux/amd64', goMinimum: '1.24.0' }), 'Go ≥ 1.24.0', 'this is Go 1.23.12');
  });

  it('lets a go that does not say its version try the build', () => {
    expect(databaseVerdict({ ...NOTHING, readGoVersion: () => '' })).toEqual({ status: 'ok' });
    expect(databaseVerdict({ ...NOTHING, readGoVersion: () => 'go version devel +abc123' })).toEqual({ status: 'ok' });
  });
});

describe('browserVerdict', () => {
  it('asks for Chromium at the path the browser tests launch', () => {
    expect(browserVerdict({ chromiumPath: '/usr/bin/chromium', chromiumExecutable: true })).toEqual({ status: 'ok' });
    expectOneLine(browserVerdict({ chromiumPath: '/usr/bin/chromium', chromiumExecutable: false }), '/usr/bin/chromium', 'apt-get install chromium', 'E2E_CHROMIUM_PATH');
  });
});
