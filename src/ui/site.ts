/**
 * Where this copy of the playground lives. The build is deployed to any folder of any host
 * (`/`, `/kp/`, a university's `~user/kp/`), so nothing names a path from the host's root: the
 * site's own files resolve from the page's folder and links point back at the page itself.
 */

/** The page's address without query or fragment: what share links and lesson links start with. */
export function pageUrl(location: Pick<Location, 'origin' | 'pathname'> = window.location): string {
  return location.origin + location.pathname;
}

/**
 * A file the site ships (`public/`, e.g. "examples/hello.wasm"), as an absolute URL. BASE_URL is
 * "./" in the build (relative to the page's folder) and "/" under the dev server.
 */
export function siteFile(path: string, page: string = pageUrl(), base: string = import.meta.env.BASE_URL): string {
  return new URL(`${base}${path}`, page).href;
}

/** Whether the address asks for the compact embed view: "#v2.q1ZK...&embed". */
export function isEmbedAddress(hash: string = window.location.hash): boolean {
  return hash.replace(/^#/, '').split('&').slice(1).includes('embed');
}
