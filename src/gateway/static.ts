/**
 * Serves the web console's files at `/console/` (issue 16 §3): the files of one folder, read once
 * at start, so no request can name a path outside it. The page itself holds no data; everything it
 * shows comes from /api with the admin UserSig the user signs in with. `GET /` leads to it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { extname } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

/** No script or style from anywhere else, no framing: the page works offline and alone. */
const HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
}

export function consoleRoutes(dir: URL): (fastify: FastifyInstance) => void {
  const files = new Map<string, { type: string; body: Buffer }>()
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)]
    if (type !== undefined) files.set(name, { type, body: readFileSync(new URL(name, dir)) })
  }
  return (fastify) => {
    fastify.get('/', async (_req, reply) => reply.redirect('/console/'))
    const send = (name: string, reply: FastifyReply) => {
      const file = files.get(name)
      if (file === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('not found')
      return reply.code(200).headers(HEADERS).type(file.type).send(file.body)
    }
    // The router ignores a trailing slash, so /console and /console/ are one route; the page names
    // its files by absolute path for that reason.
    fastify.get('/console', async (_req, reply) => send('index.html', reply))
    fastify.get('/console/*', async (req, reply) => send((req.params as { '*': string })['*'], reply))
  }
}
