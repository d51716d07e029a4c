#!/usr/bin/env node
// @ts-check
/**
 * `node scripts/check-bundle-budget.mjs [dist]`, after `vite build`: prints what each page of the SPA downloads
 * at first load (raw, gzip, brotli) and exits 1 when the sign-in page is over its budget
 * (bundle-budget/measured-pages.mjs). Sizes, not times: the same build gives the same answer on any machine.
 * Plain Node, no dependencies.
 */
import { fileURLToPath } from 'node:url';
import { budgetVerdict, formatPageTable } from './bundle-budget/budget-report.mjs';
import { measurePage, readManifest } from './bundle-budget/first-load.mjs';
import { OTHER_PAGES, SIGN_IN_BROTLI_BUDGET_BYTES, SIGN_IN_PAGE } from './bundle-budget/measured-pages.mjs';

const distDir = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
const manifest = await readManifest(distDir);
const pages = await Promise.all([SIGN_IN_PAGE, ...OTHER_PAGES].map((page) => measurePage(distDir, manifest, page)));
const [signIn] = pages;
if (!signIn) throw new Error('The sign-in page was not measured');

console.log(formatPageTable(pages));
const verdict = budgetVerdict(signIn, SIGN_IN_BROTLI_BUDGET_BYTES);
(verdict.ok ? console.log : console.error)(verdict.message);
process.exitCode = verdict.ok ? 0 : 1;
