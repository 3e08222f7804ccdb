import type { RouteName } from '../contract.js';
import { bitableRoutes } from './bitable.js';
import { docxRoutes } from './docx.js';
import { driveRoutes } from './drive.js';
import { driveMetasRoutes } from './drive-metas.js';
import { mediaRoutes } from './media.js';
import { permissionRoutes } from './permission.js';
import type { RouteDef } from './route.js';
import { sheetsRoutes } from './sheets.js';
import { userRoutes } from './user.js';
import { wikiRoutes } from './wiki.js';

const ROUTES: RouteDef[] = [
  ...driveRoutes,
  ...driveMetasRoutes,
  ...wikiRoutes,
  ...docxRoutes,
  ...sheetsRoutes,
  ...bitableRoutes,
  ...mediaRoutes,
  ...permissionRoutes,
  ...userRoutes,
];

export interface RouteMatch {
  /** The product route, or undefined (no route, or `auth`, whose handler needs the token store). */
  def: RouteDef | undefined;
  /** The last pattern match tried: its named groups are the path params. */
  match: RegExpExecArray | null;
  /** The route name, `auth`, or null when nothing matched. */
  name: RouteName | null;
}

/** Finds the route for a method and path. */
export function matchRoute(method: string | undefined, pathname: string): RouteMatch {
  let def: RouteDef | undefined;
  let match: RegExpExecArray | null = null;
  for (const candidate of ROUTES) {
    match = candidate.pattern.exec(pathname);
    if (match && candidate.method === method) {
      def = candidate;
      break;
    }
  }
  const name: RouteName | null =
    def?.name ??
    (pathname === '/open-apis/auth/v3/tenant_access_token/internal' && method === 'POST' ? 'auth' : null);
  return { def, match, name };
}

/** The path params of a match, percent-decoded. */
export function pathParams(match: RegExpExecArray | null): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(match?.groups ?? {})) params[k] = decodeURIComponent(v);
  return params;
}
