import type { UserWithRole } from 'better-auth/client/plugins';
import { authClient } from './auth-client';
import { type ApiResult, runAuthCall } from './api-result';

// The admin plugin's inferred user type does not know the username plugin's fields, but the payload has them.
export interface AdminUser extends UserWithRole {
  username?: string | null | undefined;
  displayUsername?: string | null | undefined;
}

export type UserSearchField = 'email' | 'name';

export interface UserListQuery {
  limit: number;
  offset: number;
  searchField: UserSearchField;
  /** Empty means no search. */
  searchValue: string;
}

export interface UserListPage {
  users: AdminUser[];
  total: number;
}

export function fetchUserList({ limit, offset, searchField, searchValue }: UserListQuery): Promise<ApiResult<UserListPage>> {
  const search = searchValue.trim();
  return runAuthCall<UserListPage>(() =>
    authClient.admin.listUsers({
      query: {
        limit,
        offset,
        sortBy: 'createdAt',
        sortDirection: 'desc',
        ...(search ? { searchField, searchValue: search, searchOperator: 'contains' } : {}),
      },
    }),
  );
}

export function fetchUser(userId: string): Promise<ApiResult<AdminUser>> {
  return runAuthCall<AdminUser>(() => authClient.admin.getUser({ query: { id: userId } }));
}
