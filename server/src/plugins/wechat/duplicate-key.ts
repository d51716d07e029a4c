/**
 * A unique index refused the write (code 11000, on MongoDB and FerretDB alike): another request
 * took the same identity, email or account slot first. The caller looks again and answers as the
 * winner's outcome, instead of a 500.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 3; current = (current as { cause?: unknown }).cause, depth += 1) {
    if ((current as { code?: unknown }).code === 11000) return true;
  }
  return false;
}

/**
 * How many times a sign-in or bind looks again after losing a race. A lost round means another
 * request's user or account was written first, so a next look usually finds the winner's account
 * (or the rival is half-way and loses in turn); many lost rounds mean something else is wrong.
 */
export const MAX_RACE_ROUNDS = 5;
