import { describe, expect, it } from 'vitest';
import { ScenarioSelectionError, selectScenarios } from './scenario-selection.js';

const ALL = [{ id: 'get-scan-result' }, { id: 'webhook' }, { id: 'sign-in-page' }];

describe('selectScenarios', () => {
  it('runs everything without --only or BENCH_ONLY', () => {
    expect(selectScenarios(ALL, [], {})).toEqual({ selected: ALL, only: null });
  });

  it('takes --only <ids>, --only=<ids> and BENCH_ONLY, keeping the usual order', () => {
    expect(selectScenarios(ALL, ['--only', 'sign-in-page,get-scan-result'], {}).selected.map((s) => s.id)).toEqual(['get-scan-result', 'sign-in-page']);
    expect(selectScenarios(ALL, ['--only=webhook'], {}).selected.map((s) => s.id)).toEqual(['webhook']);
    expect(selectScenarios(ALL, [], { BENCH_ONLY: 'sign-in-page' }).only).toEqual(['sign-in-page']);
  });

  it('lets the command line win over BENCH_ONLY', () => {
    expect(selectScenarios(ALL, ['--only', 'webhook'], { BENCH_ONLY: 'sign-in-page' }).only).toEqual(['webhook']);
  });

  it('stops on an unknown or missing name, naming the known ones', () => {
    expect(() => selectScenarios(ALL, ['--only', 'sign-in'], {})).toThrow(ScenarioSelectionError);
    expect(() => selectScenarios(ALL, ['--only', 'sign-in'], {})).toThrow(/get-scan-result, webhook, sign-in-page/);
    expect(() => selectScenarios(ALL, ['--only'], {})).toThrow(/got none/);
  });
});
