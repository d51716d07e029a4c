import { describe, expect, it } from 'vitest';
import { isWithinReplayWindow } from './replay-window.js';

const NOW_MS = 1_714_112_445_000;

describe('isWithinReplayWindow', () => {
  it('accepts timestamps up to the window away, in both directions', () => {
    expect(isWithinReplayWindow('1714112445', 300, NOW_MS)).toBe(true);
    expect(isWithinReplayWindow(String(1_714_112_445 - 300), 300, NOW_MS)).toBe(true);
    expect(isWithinReplayWindow(String(1_714_112_445 + 300), 300, NOW_MS)).toBe(true);
  });

  it('refuses timestamps beyond the window', () => {
    expect(isWithinReplayWindow(String(1_714_112_445 - 301), 300, NOW_MS)).toBe(false);
    expect(isWithinReplayWindow(String(1_714_112_445 + 301), 300, NOW_MS)).toBe(false);
    expect(isWithinReplayWindow('0', 300, NOW_MS)).toBe(false);
  });

  it('turns the time check off with a window of 0', () => {
    expect(isWithinReplayWindow('0', 0, NOW_MS)).toBe(true);
    expect(isWithinReplayWindow('99999999999', 0, NOW_MS)).toBe(true);
  });

  it.each(['', 'abc', '1714112445.5', '-1714112445', ' 1714112445', '1e9', '0x66', '1234567890123'])(
    'refuses the non-numeric timestamp %j, even with the check off',
    (timestamp) => {
      expect(isWithinReplayWindow(timestamp, 300, NOW_MS)).toBe(false);
      expect(isWithinReplayWindow(timestamp, 0, NOW_MS)).toBe(false);
    },
  );

  it('refuses a timestamp that is not a string at all', () => {
    expect(isWithinReplayWindow(['1714112445'] as unknown as string, 300, NOW_MS)).toBe(false);
  });

  it('uses the current time by default', () => {
    expect(isWithinReplayWindow(String(Math.floor(Date.now() / 1000)), 60)).toBe(true);
  });

  it('treats a bad window as a programming error', () => {
    expect(() => isWithinReplayWindow('1', -1, NOW_MS)).toThrow(RangeError);
    expect(() => isWithinReplayWindow('1', Number.NaN, NOW_MS)).toThrow(RangeError);
  });
});
