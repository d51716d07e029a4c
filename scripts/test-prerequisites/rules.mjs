// @ts-check
/**
 * What `npm test` needs, decided from facts gathered elsewhere (machine.mjs), so that every rule
 * can be tested without changing the machine. Each rule gives a verdict: `ok`, a `warning` that
 * is printed and lets the tests run, or `missing` with the one line that says what to install.
 */
import { compareVersions, parseVersion, satisfiesRange } from './version-range.mjs';

/** @typedef {{ status: 'ok' } | { status: 'warning', line: string } | { status: 'missing', line: string }} Verdict */

/** @type {Verdict} */
const OK = { status: 'ok' };

/**
 * @param {{ vitestInstalled: boolean }} facts
 * @returns {Verdict}
 */
export function dependenciesVerdict(facts) {
  return facts.vitestInstalled ? OK : { status: 'missing', line: 'npm test needs the project\'s dependencies: run npm ci first' };
}

/**
 * The supported range (package.json engines) only warns: the suite still runs on an older Node
 * (it passes on Node 20, which is past its end of life), and .ci/run fetches a supported one.
 * A Node the test runner itself does not declare (vitest's engines) stops, as the tests would
 * fail to start with an error that says nothing about the version.
 * @param {{ running: string, supportedRange: string, runnerRange: string | undefined }} facts
 * @returns {Verdict}
 */
export function nodeVerdict(facts) {
  const running = `v${facts.running.replace(/^v/, '')}`;
  const install = 'install a supported Node.js (https://nodejs.org), or run .ci/run, which fetches one';
  if (facts.runnerRange !== undefined && rangeSaysNo(facts.running, facts.runnerRange)) {
    return { status: 'missing', line: `npm test needs Node.js ${facts.supportedRange} (vitest needs ${facts.runnerRange}) and this is ${running}: ${install}` };
  }
  if (rangeSaysNo(facts.running, facts.supportedRange)) {
    return { status: 'warning', line: `warning: Node.js ${running} is not supported (package.json engines: ${facts.supportedRange}); the tests may still pass: ${install}` };
  }
  return OK;
}

/**
 * True only when the range is read and excludes the version: a range this checker cannot read
 * is no reason to stop anyone.
 * @param {string} version
 * @param {string} range
 */
function rangeSaysNo(version, range) {
  try {
    return !satisfiesRange(version, range);
  } catch {
    return false;
  }
}

/**
 * @typedef {object} DatabaseFacts
 * @property {string | undefined} mongodbUri MONGODB_URI: the tests use that server and need nothing else
 * @property {boolean} mongodOnPath
 * @property {boolean} mongodDownloaded a mongod mongodb-memory-server already downloaded
 * @property {boolean} ferretdbBuilt the embedded FerretDB for the current sources is already in .cache/
 * @property {() => string | undefined} readGoVersion `go version`'s output, undefined when go is not on PATH; it runs a
 *   process, so it is asked only when nothing above gives a database
 * @property {string} goMinimum the `go` line of server/ferretdb/go.mod
 */

/**
 * The test database, tried in the order the test setup tries it (server/src/db/embedded).
 * @param {DatabaseFacts} facts
 * @returns {Verdict}
 */
export function databaseVerdict(facts) {
  if (facts.mongodbUri || facts.mongodOnPath || facts.mongodDownloaded || facts.ferretdbBuilt) return OK;
  const alternatives = `or put a mongod on PATH, or set MONGODB_URI (see README › Using a real MongoDB)`;
  const goVersion = facts.readGoVersion();
  if (goVersion === undefined) {
    return {
      status: 'missing',
      line: `npm test needs Go ≥ ${facts.goMinimum} to build the embedded FerretDB, and there is no go on PATH: install it from https://go.dev/dl/ (Debian 13: apt-get install golang-go), ${alternatives}`,
    };
  }
  const goRelease = /\bgo(\d+(?:\.\d+){0,2})/.exec(goVersion)?.[1];
  if (goRelease === undefined) return OK; // a go that does not say its version: let the build speak
  if (compareVersions(parseVersion(goRelease), parseVersion(facts.goMinimum)) < 0) {
    return {
      status: 'missing',
      line: `npm test needs Go ≥ ${facts.goMinimum} to build the embedded FerretDB, and this is Go ${goRelease}: install a newer one from https://go.dev/dl/, ${alternatives}`,
    };
  }
  return OK;
}

/**
 * @param {{ chromiumPath: string, chromiumExecutable: boolean }} facts
 * @returns {Verdict}
 */
export function browserVerdict(facts) {
  if (facts.chromiumExecutable) return OK;
  return {
    status: 'missing',
    line: `npm test needs Chromium at ${facts.chromiumPath} for the browser tests: apt-get install chromium (Debian/Ubuntu), or set E2E_CHROMIUM_PATH to a Chromium binary`,
  };
}
