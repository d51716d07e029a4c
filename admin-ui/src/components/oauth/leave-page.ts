/**
 * A full page load to where the OIDC provider answered: the app (with a code or an error), or another of
 * our pages. Its own module so that tests can watch it (happy-dom cannot navigate).
 */
export function leavePage(url: string): void {
  window.location.assign(url);
}
