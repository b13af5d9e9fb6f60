/** Calls receiptd's own /api as a console or a test suite does: the admin UserSig in the query. */
import { ADMIN, SDK_APP_ID, type Envelope, type TestServer } from '../../helpers/server.js'

export function auth(server: TestServer, app = SDK_APP_ID, identifier = ADMIN): string {
  return `sdkappid=${app}&identifier=${identifier}&usersig=${server.sig(
    identifier,
    server.receiptd.apps.find((a) => a.sdkAppId === app),
  )}`
}

export async function api(
  server: TestServer,
  method: 'GET' | 'POST',
  path: string,
  query: Record<string, string | number> = {},
  body?: string,
): Promise<Envelope> {
  const res = await raw(server, method, path, query, body)
  if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status}`)
  return (await res.json()) as Envelope
}

export async function raw(
  server: TestServer,
  method: 'GET' | 'POST',
  path: string,
  query: Record<string, string | number> = {},
  body?: string,
  app = SDK_APP_ID,
): Promise<Response> {
  const extra = Object.entries(query)
    .map(([k, v]) => `&${k}=${encodeURIComponent(String(v))}`)
    .join('')
  return fetch(`${server.url}/api/apps/${app}/${path}?${auth(server, app)}${extra}`, {
    method,
    ...(body !== undefined && { body, headers: { 'content-type': 'application/json' } }),
  })
}

/** Every item of a paged list, following Cursor until IsFinish. */
export async function all<T>(
  server: TestServer,
  path: string,
  field: string,
  query: Record<string, string | number> = {},
): Promise<{ items: T[]; pages: Envelope[] }> {
  const items: T[] = []
  const pages: Envelope[] = []
  let cursor = '0'
  for (;;) {
    const r = await api(server, 'GET', path, { ...query, cursor })
    if (r.ErrorCode !== 0) throw new Error(`${path}: ${JSON.stringify(r)}`)
    pages.push(r)
    items.push(...(r[field] as T[]))
    if (r.IsFinish === 1) return { items, pages }
    cursor = r.Cursor as string
  }
}
