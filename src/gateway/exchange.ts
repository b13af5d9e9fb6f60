/**
 * The parts of one HTTP exchange the listener (server.ts) works with: the request id, the caller's
 * address, the request target, the response written with Tencent's CORS headers, and the record the
 * access log and the metrics take once it is answered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { failure, type Envelope } from './envelope.js'

/** Headers Tencent's gateway sends (spec §1.2). */
export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'X-Requested-With',
  'access-control-allow-methods': 'POST',
}
export const JSON_TYPE = 'application/json; charset=utf-8'

/** One answered request, for the access log and the metrics. */
export interface AccessRecord {
  requestId: string
  method: string
  /** Without the query string, which carries the usersig. */
  path: string
  /** A bounded label: `/v4`, a route pattern, `unmatched` or `malformed`. */
  route: string
  /** `service/command` of a /v4 call whose path names a known or unimplemented command. */
  command: string | undefined
  code: number | undefined
  sdkAppId: number | undefined
  status: number
  ms: number
}

let requestCounter = 0
const requestIdPrefix = process.pid.toString(36)

export function requestId(header: string | string[] | undefined): string {
  if (typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header)) return header
  return `${requestIdPrefix}-${(++requestCounter).toString(36)}`
}

/** An IPv4 peer on a dual-stack socket shows as `::ffff:a.b.c.d`; Tencent's `ClientIP` is plain. */
export function clientIp(ip: string | undefined): string {
  if (ip === undefined) return ''
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}

/**
 * Splits the request target into path and query. Origin-form is the common case; absolute-form
 * must be accepted by servers too (RFC 9112 §3.2.2), and `*` is OPTIONS' asterisk-form.
 */
export function splitTarget(url: string): { path: string; query: string } | undefined {
  let rest = url
  if (!url.startsWith('/')) {
    if (url === '*') return { path: '*', query: '' }
    const m = /^https?:\/\/[^/?#]*/i.exec(url)
    if (m === null) return undefined
    rest = url.slice(m[0].length) || '/'
    if (rest.startsWith('?')) rest = '/' + rest
  }
  const q = rest.indexOf('?')
  return q < 0 ? { path: rest, query: '' } : { path: rest.slice(0, q), query: rest.slice(q + 1) }
}

export const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])
export const ROUTE_METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])

/** One request and its answer: writes the response and fills in the access record. */
export class Exchange {
  readonly record: Omit<AccessRecord, 'ms'>
  readonly started = performance.now()

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly id: string,
    readonly method: string,
    readonly state: { closing: boolean },
  ) {
    this.record = {
      requestId: id,
      method,
      path: '-',
      route: 'malformed',
      command: undefined,
      code: undefined,
      sdkAppId: undefined,
      status: 200,
    }
  }

  write(status: number, type: string, body: string, extra?: Record<string, string>): void {
    this.record.status = status
    const headers: Record<string, string | number> = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'X-Requested-With',
      'access-control-allow-methods': 'POST',
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'x-request-id': this.id,
    }
    if (this.state.closing) headers.connection = 'close'
    if (extra !== undefined) Object.assign(headers, extra)
    this.res.writeHead(status, headers)
    this.res.end(body)
  }

  envelope(status: number, env: Envelope, extra?: Record<string, string>): void {
    this.record.code = env.ErrorCode
    this.write(status, JSON_TYPE, JSON.stringify(env), extra)
  }

  noContent(): void {
    this.record.status = 204
    const headers: Record<string, string> = { ...CORS, 'x-request-id': this.id }
    if (this.state.closing) headers.connection = 'close'
    this.res.writeHead(204, headers).end()
  }

  /** 60008 for a body over the cap; the rest of it is not read, the connection closes after. */
  tooLarge(limit: number): void {
    this.envelope(200, failure(60008, `the request body is larger than ${limit} bytes`), {
      connection: 'close',
    })
  }
}
