/**
 * Serves the web console's files at `/console/` (issue 16 §3): the files of one folder, read once
 * at start and each registered as a route, so no request can name a path outside it. The page
 * itself holds no data; everything it shows comes from /api with the admin UserSig the user signs
 * in with. `GET /` leads to it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { text, type Routes } from './routes.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

/** No script or style from anywhere else, no framing: the page works offline and alone. */
const HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
}

export function addConsoleRoutes(routes: Routes, dir: URL): void {
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)]
    if (type === undefined) continue
    const body = readFileSync(new URL(name, dir), 'utf8')
    const answer = async () => text(200, type, body, HEADERS)
    routes.add('GET', `/console/${name}`, answer)
    // The router ignores one trailing slash: /console and /console/ are one route, so the page
    // names its files by absolute path.
    if (name === 'index.html') routes.add('GET', '/console', answer)
  }
  routes.add('GET', '/', async () =>
    text(302, 'text/plain; charset=utf-8', 'see /console/', { location: '/console/' }),
  )
}
