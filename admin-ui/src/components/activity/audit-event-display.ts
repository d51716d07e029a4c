import type { AuditDetailValue, AuditEventType } from '@wechat-login/shared';
import { userAgentLabel } from '@wechat-login/shared';

/** How the audit tables show an event's parts; pure functions, translated by the caller. */

/** `sign-in.failed` → `activity.types.signInFailed`: message keys cannot contain dots. */
export function eventTypeMessageKey(type: AuditEventType): `activity.types.${string}` {
  const camel = type.replace(/[.-]([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  return `activity.types.${camel}`;
}

/** Seconds matter in an audit trail, so this format has them (the app's `dateTime` format does not). */
export function formatEventTime(at: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at);
}

const SHORT_USER_AGENT_LENGTH = 28;

/** "Chrome · macOS" when recognised, else the start of the raw header; the full header goes in a tooltip. */
export function shortUserAgent(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const described = userAgentLabel(userAgent);
  if (described) return described;
  return userAgent.length <= SHORT_USER_AGENT_LENGTH ? userAgent : `${userAgent.slice(0, SHORT_USER_AGENT_LENGTH - 1)}…`;
}

/** Details in a stable order, with empty values left out. */
export function detailEntries(details: Record<string, AuditDetailValue>): Array<[string, string]> {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => [key, String(value)]);
}
