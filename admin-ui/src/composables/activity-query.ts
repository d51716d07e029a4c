import { AUDIT_EVENT_TYPES, type AuditEventType, type AuditEventsQueryInput } from '@wechat-login/shared';
import type { LocationQuery, LocationQueryRaw } from 'vue-router';

/** The Activity page's filters, all kept in the URL so a link or a reload shows the same events. */

export const ACTIVITY_PAGE_SIZES = [20, 50, 100] as const;

export interface ActivityFilters {
  userId: string;
  type: AuditEventType | '';
  /** ISO 8601 instants, or empty for an open end. */
  from: string;
  to: string;
  page: number;
  pageSize: number;
}

export const DEFAULT_ACTIVITY_FILTERS: Readonly<ActivityFilters> = { userId: '', type: '', from: '', to: '', page: 1, pageSize: 20 };

const USER_ID = /^[0-9a-fA-F]{24}$/;

function firstValue(query: LocationQuery, name: string): string {
  const value = query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

function instant(value: string): string {
  const time = Date.parse(value);
  return value !== '' && Number.isFinite(time) ? new Date(time).toISOString() : '';
}

function positiveInteger(value: string, fallback: number): number {
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : fallback;
}

export function isUserId(value: string): boolean {
  return USER_ID.test(value);
}

/** Reads the filters from the URL; anything malformed (a hand-edited link) becomes the default, so the server never sees it. */
export function activityFiltersFromRouteQuery(query: LocationQuery): ActivityFilters {
  const type = firstValue(query, 'type');
  const userId = firstValue(query, 'userId');
  const pageSize = positiveInteger(firstValue(query, 'pageSize'), DEFAULT_ACTIVITY_FILTERS.pageSize);
  return {
    userId: isUserId(userId) ? userId : '',
    type: (AUDIT_EVENT_TYPES as readonly string[]).includes(type) ? (type as AuditEventType) : '',
    from: instant(firstValue(query, 'from')),
    to: instant(firstValue(query, 'to')),
    page: positiveInteger(firstValue(query, 'page'), 1),
    pageSize: (ACTIVITY_PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_ACTIVITY_FILTERS.pageSize,
  };
}

/** The URL query for these filters; defaults are left out so the plain page keeps a plain URL. */
export function routeQueryFromActivityFilters(filters: ActivityFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  for (const name of Object.keys(DEFAULT_ACTIVITY_FILTERS) as Array<keyof ActivityFilters>) {
    if (filters[name] !== DEFAULT_ACTIVITY_FILTERS[name]) query[name] = String(filters[name]);
  }
  return query;
}

/** The server's query; empty filters are left out. */
export function apiQueryFromActivityFilters(filters: ActivityFilters): AuditEventsQueryInput {
  return {
    ...(filters.userId ? { userId: filters.userId } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

export function isActivityFiltered(filters: ActivityFilters): boolean {
  return Boolean(filters.userId || filters.type || filters.from || filters.to);
}
