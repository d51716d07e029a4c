import { describe, expect, it } from 'vitest';
import { parseVersion, satisfiesRange } from './version-range.mjs';

const ENGINES = '^22.22.2 || ^24.15.0 || >=26.0.0';

describe('satisfiesRange', () => {
  it('reads the project engines as npm does', () => {
    for (const version of ['22.22.2', '22.99.0', '24.15.0', '24.20.1', '26.0.0', '26.12.1', '27.3.0']) expect(satisfiesRange(version, ENGINES), version).toBe(true);
    for (const version of ['20.20.2', '22.22.1', '22.12.0', '23.11.0', '24.14.9', '25.9.0', '18.19.1']) expect(satisfiesRange(version, ENGINES), version).toBe(false);
  });

  it('reads vitest and vite engines', () => {
    expect(satisfiesRange('20.20.2', '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(true);
    expect(satisfiesRange('23.1.0', '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(false);
    expect(satisfiesRange('20.18.9', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfiesRange('18.20.0', '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(false);
  });

  it('knows caret ranges below 1.0 and partial versions', () => {
    expect(satisfiesRange('0.3.9', '^0.3.1')).toBe(true);
    expect(satisfiesRange('0.4.0', '^0.3.1')).toBe(false);
    expect(satisfiesRange('0.0.4', '^0.0.3')).toBe(false);
    expect(satisfiesRange('22.0.0', '^22')).toBe(true);
    expect(satisfiesRange('23.0.0', '^22')).toBe(false);
    expect(satisfiesRange('1.2.9', '~1.2.3')).toBe(true);
    expect(satisfiesRange('1.3.0', '~1.2.3')).toBe(false);
    expect(satisfiesRange('20.5.1', '20')).toBe(true);
    expect(satisfiesRange('21.0.0', '=20')).toBe(false);
  });

  it('ands comparators inside an alternative, also with a space after the operator', () => {
    expect(satisfiesRange('21.5.0', '>=20 <22')).toBe(true);
    expect(satisfiesRange('22.0.0', '>= 20 < 22')).toBe(false);
  });

  it('takes the running version with its v and pre-release tag', () => {
    expect(parseVersion('v26.12.1')).toEqual([26, 12, 1]);
    expect(satisfiesRange('v27.0.0-pre', ENGINES)).toBe(true);
  });

  it('refuses syntax it does not read rather than guessing', () => {
    expect(() => satisfiesRange('20.0.0', '20.x')).toThrow(/unsupported/);
    expect(() => satisfiesRange('20.0.0', '18 - 22')).toThrow(/unsupported/);
    expect(() => satisfiesRange('20.0.0', '^20 ||')).toThrow(/empty/);
    expect(() => parseVersion('node')).toThrow(/not a version/);
  });
});
