import { describe, expect, it } from 'vitest';
import {
  activityFiltersFromRouteQuery,
  apiQueryFromActivityFilters,
  DEFAULT_ACTIVITY_FILTERS,
  isActivityFiltered,
  routeQueryFromActivityFilters,
} from './activity-query';

const USER_ID = '64b7f0c2a1e4d5f6a7b8c9d0';

describe('the Activity page filters in the URL', () => {
  it('reads filters from the URL and writes the same URL back', () => {
    const query = { userId: USER_ID, type: 'sign-in.failed', from: '2025-01-01T00:00:00.000Z', to: '2025-01-02T00:00:00.000Z', page: '3', pageSize: '50' };
    const filters = activityFiltersFromRouteQuery(query);
    expect(filters).toEqual({ userId: USER_ID, type: 'sign-in.failed', from: query.from, to: query.to, page: 3, pageSize: 50 });
    expect(routeQueryFromActivityFilters(filters)).toEqual(query);
    expect(isActivityFiltered(filters)).toBe(true);
  });

  it('turns a hand-edited link into defaults instead of sending the server nonsense', () => {
    const filters = activityFiltersFromRouteQuery({ userId: 'nope', type: 'sign-in', from: 'yesterday', page: '0', pageSize: '7' });
    expect(filters).toEqual(DEFAULT_ACTIVITY_FILTERS);
    expect(isActivityFiltered(filters)).toBe(false);
    expect(routeQueryFromActivityFilters(filters)).toEqual({});
  });

  it('sends only the filters that are set', () => {
    expect(apiQueryFromActivityFilters({ ...DEFAULT_ACTIVITY_FILTERS, type: 'admin.role-set' })).toEqual({ type: 'admin.role-set', page: 1, pageSize: 20 });
  });
});
