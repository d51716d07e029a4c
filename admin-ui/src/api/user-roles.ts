export const ADMIN_ROLE = 'admin';

/** better-auth's admin plugin stores several roles as one comma-separated string ("admin,user"). */
export function parseRoles(role: string | null | undefined): string[] {
  if (!role) return [];
  return role
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

export function hasRole(role: string | null | undefined, wanted: string): boolean {
  return parseRoles(role).includes(wanted);
}
