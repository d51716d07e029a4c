import { afterEach, describe, expect, it } from 'vitest';
import {
  apiQueryFromFilters,
  DEFAULT_USER_LIST_FILTERS,
  exportQueryFromFilters,
  filtersFromRouteQuery,
  isFilteredList,
  routeQueryFromFilters,
  sortFromTable,
  startOfLocalDay,
  type UserListFilters,
} from './user-list-query';

const filtered: UserListFilters = {
  search: 'ada',
  role: 'admin',
  banned: 'false',
  hasWechat: 'true',
  profileCompleted: 'false',
  notSignedInSince: '2026-05-01',
  sortBy: 'name',
  sortDirection: 'asc',
  page: 3,
  pageSize: 50,
};

describe('the users table filters and the URL', () => {
  it('reads every filter from the URL query', () => {
    const query = {
      search: 'ada', role: 'admin', banned: 'false', hasWechat: 'true', profileCompleted: 'false', notSignedInSince: '2026-05-01',
      sortBy: 'name', sortDirection: 'asc', page: '3', pageSize: '50',
    };
    expect(filtersFromRouteQuery(query)).toEqual(filtered);
  });

  it('writes only what differs from the defaults, and reads it back the same', () => {
    expect(routeQueryFromFilters(DEFAULT_USER_LIST_FILTERS)).toEqual({});
    const query = routeQueryFromFilters({ ...DEFAULT_USER_LIST_FILTERS, hasWechat: 'false', page: 2 });
    expect(query).toEqual({ hasWechat: 'false', page: '2' });
    expect(filtersFromRouteQuery(query as Record<string, string>)).toEqual({ ...DEFAULT_USER_LIST_FILTERS, hasWechat: 'false', page: 2 });
  });

  it.each([
    ['an unknown role', { role: 'root' }],
    ['a yes/no filter that is neither', { banned: 'maybe', hasWechat: '1' }],
    ['a sort field the server does not offer', { sortBy: 'password' }],
    ['a page that is not a positive whole number', { page: '-1' }],
    ['a page size the table does not offer', { pageSize: '1000' }],
    ['a repeated parameter of the wrong kind', { role: [null] }],
    ['a dormancy day that is a date-time', { notSignedInSince: '2026-05-01T00:00:00Z' }],
    ['a dormancy day that does not exist', { notSignedInSince: '2026-02-30' }],
    ['a dormancy day with something after it', { notSignedInSince: '2026-05-01&includeWechatIds=true' }],
  ])('falls back to the defaults for %s', (_label, query) => {
    expect(filtersFromRouteQuery(query)).toEqual(DEFAULT_USER_LIST_FILTERS);
  });

  it('takes the first of repeated parameters and trims the search', () => {
    expect(filtersFromRouteQuery({ search: ['  bob ', 'eve'] }).search).toBe('bob');
  });

  it('turns the page into limit and offset and leaves "either" filters out of the API query', () => {
    expect(apiQueryFromFilters(filtered)).toEqual({
      search: 'ada',
      role: 'admin',
      banned: 'false',
      hasWechat: 'true',
      profileCompleted: 'false',
      notSignedInSince: new Date(2026, 4, 1).toISOString(),
      sortBy: 'name',
      sortDirection: 'asc',
      limit: 50,
      offset: 100,
    });
    expect(apiQueryFromFilters(DEFAULT_USER_LIST_FILTERS)).toEqual({ sortBy: 'createdAt', sortDirection: 'desc', limit: 20, offset: 0 });
  });

  describe('in Beijing time', () => {
    const originalZone = process.env.TZ;
    afterEach(() => {
      if (originalZone === undefined) delete process.env.TZ;
      else process.env.TZ = originalZone;
    });

    it("starts the dormancy day at the admin's midnight, not UTC's", () => {
      process.env.TZ = 'Asia/Shanghai';
      expect(startOfLocalDay('2026-05-01')).toBe('2026-04-30T16:00:00.000Z');
    });
  });

  it('exports what the table selects, every page of it, with WeChat ids only when asked', () => {
    const exported = exportQueryFromFilters(filtered, false);
    expect(exported).toEqual({
      search: 'ada',
      role: 'admin',
      banned: 'false',
      hasWechat: 'true',
      profileCompleted: 'false',
      notSignedInSince: new Date(2026, 4, 1).toISOString(),
      sortBy: 'name',
      sortDirection: 'asc',
      includeWechatIds: 'false',
    });
    expect(exported).not.toHaveProperty('limit');
    expect(exported).not.toHaveProperty('offset');
    expect(exportQueryFromFilters(DEFAULT_USER_LIST_FILTERS, true)).toEqual({ sortBy: 'createdAt', sortDirection: 'desc', includeWechatIds: 'true' });
  });

  it('counts every narrowing filter as filtered, but not sorting or paging', () => {
    expect(isFilteredList(DEFAULT_USER_LIST_FILTERS)).toBe(false);
    expect(isFilteredList({ ...DEFAULT_USER_LIST_FILTERS, sortBy: 'lastSignInAt', page: 4 })).toBe(false);
    expect(isFilteredList({ ...DEFAULT_USER_LIST_FILTERS, profileCompleted: 'true' })).toBe(true);
    expect(isFilteredList({ ...DEFAULT_USER_LIST_FILTERS, notSignedInSince: '2026-05-01' })).toBe(true);
  });

  it('maps the table header sort to the server sort, and a cleared sort to newest first', () => {
    expect(sortFromTable('email', 'ascending')).toEqual({ sortBy: 'email', sortDirection: 'asc' });
    expect(sortFromTable('username', 'descending')).toEqual({ sortBy: 'username', sortDirection: 'desc' });
    expect(sortFromTable('lastSignInAt', 'ascending')).toEqual({ sortBy: 'lastSignInAt', sortDirection: 'asc' });
    expect(sortFromTable('email', null)).toEqual({ sortBy: 'createdAt', sortDirection: 'desc' });
    expect(sortFromTable('role', 'ascending')).toEqual({ sortBy: 'createdAt', sortDirection: 'desc' });
  });
});
