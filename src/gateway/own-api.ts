/**
 * receiptd's own API under `/api` (design.md "Surfaces"): what Tencent has no API for. Calls are
 * signed as /v4 calls are, with the app's admin UserSig in the query (`sdkappid`, `identifier`,
 * `usersig`), checked in the same order with the same codes (spec §1.6); answers use the same
 * envelope, always HTTP 200. The app in the path must be the app of `sdkappid` (60006 otherwise).
 *
 * - `GET  /api/apps/<sdkAppId>/webhooks/deliveries?command=&status=&limit=&cursor=` — the delivery
 *   log, newest first; `Cursor` and `IsFinish` page it as get_group_msg_receipt_detail does. It
 *   holds pending events, and finished ones for `webhooks.retentionHours` after they finished
 *   (design.md decision 16); events the app never receives are not written at all.
 * - `POST /api/apps/<sdkAppId>/webhooks/deliveries/<id>/retry` — sends an event again while it is
 *   in the log (60009 once it has been deleted).
 *
 * `signedRoute` gives other /api routes (the inspection API) the same checks; they may answer the
 * envelope's fields, a document as it is, or a stream of server-sent events.
 */
import type { AppConfig } from '../config/config.js'
import type { Clock } from '../domain/clock.js'
import { codes, TencentError } from '../domain/codes.js'
import { deliveryStatuses, type Delivery } from '../store/deliveries.js'
import type { Store } from '../store/store.js'
import { afterEventCommands } from '../webhooks/events.js'
import { failure, ok, type Envelope } from './envelope.js'
import {
  json,
  type EventsAnswer,
  type RouteHandler,
  type RouteRequest,
  type Routes,
  type TextAnswer,
} from './routes.js'
import { parseQuery, readV4Params } from './url.js'
import type { UserSigVerifier } from './usersig.js'

export interface OwnApiDeps {
  apps: readonly AppConfig[]
  store: Store
  clock: Clock
  verifier: UserSigVerifier
}

const DEFAULT_PAGE = 20
const MAX_PAGE = 100

type Params = { sdkAppId: string; id?: string }
type Handler = (app: AppConfig, query: Map<string, string>, params: Params) => Promise<Envelope>

/** The caller's app, checked as the v4 gateway checks a call (spec §1.6 order and codes). */
async function authorize(
  apps: ReadonlyMap<number, AppConfig>,
  deps: Pick<OwnApiDeps, 'clock' | 'verifier'>,
  req: RouteRequest<string>,
): Promise<{ app: AppConfig; query: Map<string, string> }> {
  const query = parseQuery(req.query)
  const v4 = readV4Params(query)
  if (v4.sdkAppIdRaw === undefined || v4.sdkAppIdRaw === '') throw new TencentError(60012)
  const params = req.params as unknown as Params
  const app = /^\d{1,10}$/.test(params.sdkAppId) ? apps.get(Number(params.sdkAppId)) : undefined
  if (app === undefined) throw new TencentError(60006)
  if (v4.sdkAppIdRaw !== String(app.sdkAppId)) {
    throw new TencentError(60006, `sdkappid ${v4.sdkAppIdRaw} is not the app in the path`)
  }
  await deps.verifier.verify(app, v4.identifier, v4.usersig, deps.clock.nowSeconds())
  return { app, query }
}

/** What a signed route answers: the success envelope's fields, a document, or an event stream. */
export type SignedAnswer = Record<string, unknown> | TextAnswer | EventsAnswer

/** Envelope fields are PascalCase: a lower-case `kind` marks an answer of the routes table. */
const isAnswer = (a: SignedAnswer): a is TextAnswer | EventsAnswer =>
  (a.kind === 'text' && 'contentType' in a) || (a.kind === 'events' && typeof a.run === 'function')

/**
 * A route under `/api/apps/:sdkAppId/` with the checks of receiptd's own API: a refused caller, a
 * TencentError or an unexpected failure is answered in the envelope, and a stream opens only for
 * a checked caller.
 */
export function signedRoute(
  deps: Pick<OwnApiDeps, 'apps' | 'clock' | 'verifier'>,
  run: (app: AppConfig, query: Map<string, string>, req: RouteRequest<string>) => Promise<SignedAnswer>,
): RouteHandler<string> {
  const apps = new Map(deps.apps.map((a) => [a.sdkAppId, a]))
  return async (req) => {
    let sdkAppId: number | undefined
    try {
      const { app, query } = await authorize(apps, deps, req)
      sdkAppId = app.sdkAppId
      const answer = await run(app, query, req)
      return isAnswer(answer) ? { ...answer, sdkAppId } : json(200, ok(answer), { sdkAppId })
    } catch (e) {
      if (e instanceof TencentError) return json(200, failure(e.code, e.info), { sdkAppId })
      req.log.error({ err: e }, 'unexpected failure while answering an /api request')
      return json(200, failure(70500, codes[70500]), { sdkAppId })
    }
  }
}

/** Adds the routes of receiptd's own API to `routes`. */
export function addOwnApiRoutes(routes: Routes, deps: OwnApiDeps): void {
  const apps = new Map(deps.apps.map((a) => [a.sdkAppId, a]))
  const { store, clock } = deps

  /** Checks the caller as the v4 gateway does, then runs `handler`; nothing thrown escapes. */
  const signed =
    <P extends string>(handler: Handler) =>
    async (req: RouteRequest<P>) => {
      let envelope: Envelope
      let sdkAppId: number | undefined
      try {
        const { app, query } = await authorize(apps, deps, req as RouteRequest<string>)
        sdkAppId = app.sdkAppId
        envelope = await handler(app, query, req.params as unknown as Params)
      } catch (e) {
        if (e instanceof TencentError) envelope = failure(e.code, e.info)
        else {
          req.log.error({ err: e }, 'unexpected failure while answering an /api request')
          envelope = failure(70500, codes[70500])
        }
      }
      return json(200, envelope, { sdkAppId })
    }

  const listDeliveries: Handler = async (app, query) => {
    const command = optionalOneOf(query, 'command', afterEventCommands)
    const status = optionalOneOf(query, 'status', deliveryStatuses)
    const limit = optionalInt(query, 'limit', 1, MAX_PAGE) ?? DEFAULT_PAGE
    const cursor = optionalInt(query, 'cursor', 0, Number.MAX_SAFE_INTEGER)
    const page = await store.read(app.sdkAppId, (tx) =>
      // One more than asked: whether it exists says whether this is the last page.
      tx.deliveries.list({ command, status, beforeId: cursor || undefined, limit: limit + 1 }),
    )
    const finished = page.length <= limit
    const shown = page.slice(0, limit)
    return ok({
      Deliveries: shown.map(render),
      Cursor: finished ? '0' : String(shown[shown.length - 1]!.id),
      IsFinish: finished ? 1 : 0,
    })
  }

  const retryDelivery: Handler = async (app, _query, params) => {
    const id = /^\d{1,15}$/.test(params.id ?? '') ? Number(params.id) : undefined
    const delivery =
      id === undefined
        ? undefined
        : await store.transaction(app.sdkAppId, (tx) => tx.deliveries.requeue(id, clock.nowMs()))
    if (delivery === undefined)
      throw new TencentError(60009, `no delivery ${params.id} in app ${app.sdkAppId}`)
    return ok({ Delivery: render(delivery) })
  }

  const [list, retry] = deliveryLogRoutes
  routes.add(list.method, list.path, signed(listDeliveries))
  routes.add(retry.method, retry.path, signed(retryDelivery))
}

/** A route as the OpenAPI description shows it. */
export interface RouteDescription {
  method: 'GET' | 'POST'
  path: string
  summary: string
  query: readonly { name: string; description: string }[]
}

/** The delivery log's two routes, described once for the router and the OpenAPI document. */
export const deliveryLogRoutes = [
  {
    method: 'GET',
    path: '/api/apps/:sdkAppId/webhooks/deliveries',
    summary:
      'The webhook delivery log, newest first: Deliveries (pending events, and finished ones for webhooks.retentionHours), Cursor, IsFinish',
    query: [
      { name: 'command', description: 'only events of this callback command' },
      { name: 'status', description: `only deliveries in this status: ${deliveryStatuses.join(', ')}` },
      { name: 'limit', description: `items per page, 1 to ${MAX_PAGE} (default ${DEFAULT_PAGE})` },
      { name: 'cursor', description: 'the Cursor of the previous page; absent or "0" for the first' },
    ],
  },
  {
    method: 'POST',
    path: '/api/apps/:sdkAppId/webhooks/deliveries/:id/retry',
    summary: 'Sends an event again while it is in the log (60009 once deleted): Delivery',
    query: [],
  },
] as const satisfies readonly [RouteDescription, RouteDescription]

/** Wire form of a delivery; absent times are null. */
function render(d: Delivery): Record<string, unknown> {
  return {
    Id: d.id,
    CallbackCommand: d.command,
    OrderingKey: d.orderingKey,
    Status: d.status,
    CreatedMs: d.createdMs,
    NextAttemptMs: d.nextAttemptMs ?? null,
    FinishedMs: d.finishedMs ?? null,
    Body: JSON.parse(d.body) as unknown,
    Attempts: d.attempts.map((a) => ({
      Attempt: a.attempt,
      TimeMs: a.startedMs,
      HttpStatus: a.httpStatus ?? null,
      LatencyMs: a.latencyMs,
      Error: a.error ?? null,
      AnswerCode: a.answerCode ?? null,
    })),
  }
}

function optionalOneOf<T extends string>(
  query: Map<string, string>,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const v = query.get(name)
  if (v === undefined || v === '') return undefined
  if (!(allowed as readonly string[]).includes(v)) {
    throw new TencentError(60002, `${name} must be one of ${allowed.join(', ')}`)
  }
  return v as T
}

function optionalInt(query: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const v = query.get(name)
  if (v === undefined || v === '') return undefined
  const n = /^\d{1,16}$/.test(v) ? Number(v) : NaN
  if (!(n >= min && n <= max))
    throw new TencentError(60002, `${name} must be a whole number from ${min} to ${max}`)
  return n
}
