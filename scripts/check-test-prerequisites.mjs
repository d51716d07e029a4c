#!/usr/bin/env node
// @ts-check
/**
 * Run first by `npm test`: says in one line what to install when something the suite needs is
 * missing, instead of letting a test fail deep inside (a FerretDB build without Go, a browser
 * launch without Chromium). Plain Node, no dependencies, well under a second.
 */
import { fileURLToPath } from 'node:url';
import { gatherFacts } from './test-prerequisites/machine.mjs';
import { browserVerdict, databaseVerdict, dependenciesVerdict, nodeVerdict } from './test-prerequisites/rules.mjs';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const facts = gatherFacts(rootDir, process.env);
const verdicts = [dependenciesVerdict(facts.dependencies), nodeVerdict(facts.node), databaseVerdict(facts.database), browserVerdict(facts.browser)];

let missing = false;
for (const verdict of verdicts) {
  if (verdict.status === 'ok') continue;
  console.error(verdict.line);
  if (verdict.status === 'missing') missing = true;
}
process.exitCode = missing ? 1 : 0;
