/**
 * Whether a WeChat request's `timestamp` (decimal seconds) is within `windowSeconds` of now, in either
 * direction (clocks drift both ways). A window of 0 turns the time check off; a timestamp that is not
 * plain decimal seconds is refused even then, because WeChat never sends one.
 *
 * WeChat retries an unanswered push with its original timestamp for about 15 s, so a window should
 * be well above that (the default of 300 s is).
 */
export function isWithinReplayWindow(timestampSeconds: string, windowSeconds: number, nowMs: number = Date.now()): boolean {
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds < 0) {
    throw new RangeError('windowSeconds must be a non-negative integer');
  }
  if (typeof timestampSeconds !== 'string' || !/^\d{1,12}$/.test(timestampSeconds)) return false;
  if (windowSeconds === 0) return true;
  return Math.abs(nowMs - Number(timestampSeconds) * 1000) <= windowSeconds * 1000;
}
