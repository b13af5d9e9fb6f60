/**
 * receiptd's own routes (`/api`, `/healthz`, `/metrics`): a small typed table of method + path
 * pattern → handler. Handlers see typed values only, never node:http (style §1): the request's
 * parts, and they answer JSON, plain text, or a stream of server-sent events.
 *
 * ```ts
 * routes.add('GET', '/api/apps/:sdkAppId/things/:id', async (req) => json(200, { id: req.params.id }))
 * routes.add('GET', '/api/apps/:sdkAppId/events', async () =>
 *   events(async (stream) => { stream.send({ hello: 1 }, 'greeting'); await stream.closed }))
 * ```
 * A pattern segment `:name` matches one non-empty path segment (percent-decoded); the names become
 * the typed fields of `req.params`. One trailing slash on the request path is ignored.
 */
import type { Log } from '../log.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never

/** `{ sdkAppId: string, id: string }` for `/api/apps/:sdkAppId/x/:id`. */
export type PathParams<P extends string> = { readonly [K in ParamNames<P>]: string }

export interface RouteRequest<P extends string = string> {
  readonly method: Method
  /** The path without the query string, as sent. */
  readonly path: string
  readonly params: PathParams<P>
  /** The raw query string, without `?`. */
  readonly query: string
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The body of a POST, PUT or PATCH, within `server.bodyLimitBytes`; undefined for the others. */
  readonly body: Buffer | undefined
  readonly requestId: string
  readonly clientIp: string
  readonly log: Log
}

/** What the access log and the metrics say about an answer besides its HTTP status. */
export interface AnswerNote {
  /** `ErrorCode` of an envelope; found in a JSON body on its own when not given. */
  code?: number | undefined
  sdkAppId?: number | undefined
}

export interface JsonAnswer extends AnswerNote {
  kind: 'json'
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface TextAnswer extends AnswerNote {
  kind: 'text'
  status: number
  contentType: string
  body: string
  headers?: Record<string, string>
}

/** The open end of a server-sent event stream (text/event-stream). */
export interface EventStream {
  /**
   * Sends one event, `data` as JSON. False once the stream is closed, or when the client reads so
   * slowly that its backlog passed the bound: that client is then disconnected.
   */
  send(data: unknown, event?: string, id?: string): boolean
  /** Settles when the client goes away or the server shuts down. */
  readonly closed: Promise<void>
  readonly signal: AbortSignal
}

export interface EventsAnswer extends AnswerNote {
  kind: 'events'
  /** Runs for the life of the stream; the stream ends when it settles. */
  run(stream: EventStream): Promise<void>
}

export type RouteAnswer = JsonAnswer | TextAnswer | EventsAnswer

export type RouteHandler<P extends string = string> = (req: RouteRequest<P>) => Promise<RouteAnswer>

export const json = (status: number, body: unknown, note: AnswerNote = {}): JsonAnswer => ({
  kind: 'json',
  status,
  body,
  ...note,
})

export const text = (
  status: number,
  contentType: string,
  body: string,
  headers?: Record<string, string>,
): TextAnswer => ({
  kind: 'text',
  status,
  contentType,
  body,
  ...(headers && { headers }),
})

export const events = (run: (stream: EventStream) => Promise<void>, note: AnswerNote = {}): EventsAnswer => ({
  kind: 'events',
  run,
  ...note,
})

interface Route {
  method: Method
  pattern: string
  segments: readonly string[]
  handler: RouteHandler
}

/** Where a path led: a route, a known path that takes other methods, or nothing. */
export type RouteMatch =
  | { kind: 'route'; route: { pattern: string; handler: RouteHandler }; params: Record<string, string> }
  | { kind: 'method'; allowed: Method[] }
  | { kind: 'none' }

export class Routes {
  readonly #routes: Route[] = []

  add<P extends string>(method: Method, pattern: P, handler: RouteHandler<P>): this {
    if (!pattern.startsWith('/')) throw new Error(`route pattern must start with /: ${pattern}`)
    const segments = pattern.split('/').slice(1)
    if (this.#routes.some((r) => r.method === method && r.pattern === pattern)) {
      throw new Error(`route ${method} ${pattern} is registered twice`)
    }
    this.#routes.push({ method, pattern, segments, handler: handler as RouteHandler })
    return this
  }

  /** Every route, in the order added: for descriptions that must cover them all. */
  list(): { method: Method; pattern: string }[] {
    return this.#routes.map((r) => ({ method: r.method, pattern: r.pattern }))
  }

  match(method: string, path: string): RouteMatch {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
    const parts = trimmed.split('/').slice(1)
    const allowed: Method[] = []
    for (const r of this.#routes) {
      const params = matchSegments(r.segments, parts)
      if (params === undefined) continue
      if (r.method === method) return { kind: 'route', route: r, params }
      allowed.push(r.method)
    }
    return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' }
  }
}

function matchSegments(
  pattern: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!
    const part = parts[i]!
    if (p.startsWith(':')) {
      if (part === '') return undefined
      let value: string
      try {
        value = decodeURIComponent(part)
      } catch {
        return undefined
      }
      params[p.slice(1)] = value
    } else if (p !== part) return undefined
  }
  return params
}
