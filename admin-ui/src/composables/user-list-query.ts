import type { AdminUsersExportQueryInput, AdminUsersQueryInput, UserRole } from '@wechat-login/shared';
import type { LocationQuery, LocationQueryRaw } from 'vue-router';

/** The users table's state, all of it kept in the URL so a link or a reload shows the same page. */

export const USER_PAGE_SIZES = [10, 20, 50, 100] as const;
export const USER_SORT_FIELDS = ['createdAt', 'name', 'email', 'username', 'lastSignInAt'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];
export type SortDirection = 'asc' | 'desc';
/** A yes/no filter; empty means "either". */
export type TriStateFilter = '' | 'true' | 'false';

export interface UserListFilters {
  search: string;
  role: UserRole | '';
  banned: TriStateFilter;
  hasWechat: TriStateFilter;
  profileCompleted: TriStateFilter;
  /** Dormant accounts: a calendar day `YYYY-MM-DD` in the admin's time zone, or empty for no such filter. */
  notSignedInSince: string;
  sortBy: UserSortField;
  sortDirection: SortDirection;
  page: number;
  pageSize: number;
}

export const DEFAULT_USER_LIST_FILTERS: Readonly<UserListFilters> = {
  search: '',
  role: '',
  banned: '',
  hasWechat: '',
  profileCompleted: '',
  notSignedInSince: '',
  sortBy: 'createdAt',
  sortDirection: 'desc',
  page: 1,
  pageSize: 20,
};

const MAX_SEARCH_LENGTH = 100;

function firstValue(query: LocationQuery, name: string): string {
  const value = query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** `YYYY-MM-DD` of a day that exists (no 2026-02-30), else empty. */
function calendarDay(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return '';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? value : '';
}

/**
 * The start of that day where the admin is, as an instant: "not signed in since 1 May" means since
 * midnight of 1 May on the admin's clock, not in UTC (8 hours apart in China).
 */
export function startOfLocalDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date).toISOString();
}

function positiveInteger(value: string, fallback: number): number {
  return /^[1-9]\d{0,6}$/.test(value) ? Number(value) : fallback;
}

/** Reads the filters from the URL; anything missing or malformed (a hand-edited link) becomes the default. */
export function filtersFromRouteQuery(query: LocationQuery): UserListFilters {
  const defaults = DEFAULT_USER_LIST_FILTERS;
  const pageSize = positiveInteger(firstValue(query, 'pageSize'), defaults.pageSize);
  return {
    search: firstValue(query, 'search').trim().slice(0, MAX_SEARCH_LENGTH),
    role: oneOf(firstValue(query, 'role'), ['', 'user', 'admin'], ''),
    banned: oneOf(firstValue(query, 'banned'), ['', 'true', 'false'], ''),
    hasWechat: oneOf(firstValue(query, 'hasWechat'), ['', 'true', 'false'], ''),
    profileCompleted: oneOf(firstValue(query, 'profileCompleted'), ['', 'true', 'false'], ''),
    notSignedInSince: calendarDay(firstValue(query, 'notSignedInSince')),
    sortBy: oneOf(firstValue(query, 'sortBy'), USER_SORT_FIELDS, defaults.sortBy),
    sortDirection: oneOf(firstValue(query, 'sortDirection'), ['asc', 'desc'], defaults.sortDirection),
    page: positiveInteger(firstValue(query, 'page'), defaults.page),
    pageSize: (USER_PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : defaults.pageSize,
  };
}

/** The URL query for these filters; defaults are left out so the plain page keeps a plain URL. */
export function routeQueryFromFilters(filters: UserListFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  for (const name of Object.keys(DEFAULT_USER_LIST_FILTERS) as Array<keyof UserListFilters>) {
    const value = filters[name];
    if (value !== DEFAULT_USER_LIST_FILTERS[name]) query[name] = String(value);
  }
  return query;
}

/** Which users and in what order, without paging: shared by the table and the CSV export. */
function selectionOf(filters: UserListFilters): AdminUsersExportQueryInput {
  return {
    ...(filters.search ? { search: filters.search } : {}),
    ...(filters.role ? { role: filters.role } : {}),
    ...(filters.banned ? { banned: filters.banned } : {}),
    ...(filters.hasWechat ? { hasWechat: filters.hasWechat } : {}),
    ...(filters.profileCompleted ? { profileCompleted: filters.profileCompleted } : {}),
    ...(filters.notSignedInSince ? { notSignedInSince: startOfLocalDay(filters.notSignedInSince) } : {}),
    sortBy: filters.sortBy,
    sortDirection: filters.sortDirection,
  };
}

/** The server's query (`GET /api/v1/admin/users`): pages become limit/offset, "either" filters are left out. */
export function apiQueryFromFilters(filters: UserListFilters): AdminUsersQueryInput {
  return { ...selectionOf(filters), limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize };
}

/** The CSV export's query: every user the table's filters select (all pages), in the table's order. */
export function exportQueryFromFilters(filters: UserListFilters, includeWechatIds: boolean): AdminUsersExportQueryInput {
  return { ...selectionOf(filters), includeWechatIds: includeWechatIds ? 'true' : 'false' };
}

/** Whether any filter narrows the list (sorting and paging do not). */
export function isFilteredList(filters: UserListFilters): boolean {
  const { search, role, banned, hasWechat, profileCompleted, notSignedInSince } = filters;
  return Boolean(search || role || banned || hasWechat || profileCompleted || notSignedInSince);
}

/** Element Plus's sort-change event → our sort; clearing the sort goes back to newest first. */
export function sortFromTable(prop: string | null, order: 'ascending' | 'descending' | null): Pick<UserListFilters, 'sortBy' | 'sortDirection'> {
  const field = oneOf(prop ?? '', USER_SORT_FIELDS, DEFAULT_USER_LIST_FILTERS.sortBy);
  if (!order || field !== prop) return { sortBy: DEFAULT_USER_LIST_FILTERS.sortBy, sortDirection: DEFAULT_USER_LIST_FILTERS.sortDirection };
  return { sortBy: field, sortDirection: order === 'ascending' ? 'asc' : 'desc' };
}

/** The table's sort indicator for our sort. */
export function tableSortOf(filters: UserListFilters): { prop: UserSortField; order: 'ascending' | 'descending' } {
  return { prop: filters.sortBy, order: filters.sortDirection === 'asc' ? 'ascending' : 'descending' };
}
