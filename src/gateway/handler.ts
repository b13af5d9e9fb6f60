/**
 * The whole /v4 surface as one function: a request in, an envelope out. Checks run in the order of
 * spec §1.6 and the first failure answers: path (60009), query (60002), sdkappid (60012, 60006),
 * UserSig (70002, 70003, 70014, 70013, 70009, 70001), admin (60010), rate (60007), body (the
 * service's parse code), then the command. Nothing thrown escapes: an unexpected failure is logged
 * with the request id and answered with the service's internal-error code.
 */
import type { Command, CommandContext, Service } from '../api/command.js'
import { serviceCodes } from '../api/command.js'
import { commands as commandTable } from '../api/commands.js'
import { notImplemented } from '../api/not-implemented.js'
import type { AppConfig } from '../config/config.js'
import type { Clock } from '../domain/clock.js'
import { codes, TencentError } from '../domain/codes.js'
import type { Log } from '../log.js'
import { failureKey, type RepeatLog } from '../logging/repeat-log.js'
import type { Store, Tx } from '../store/store.js'
import { receives } from '../webhooks/audience.js'
import type { BeforeSendClient } from '../webhooks/before-send.js'
import { parseJsonBody } from './body.js'
import { failure, ok, type Envelope } from './envelope.js'
import type { RateLimiter } from './rate-limit.js'
import { parseQuery, parseV4Path, readV4Params } from './url.js'
import type { KickedLogins } from './login-kicks.js'
import type { UserSigVerifier } from './usersig.js'

export interface V4Request {
  path: string
  /** The raw query string, without `?`. */
  query: string
  body: Buffer | undefined
  log: Log
  /** The caller's address, the `ClientIP` of the webhooks the request causes. */
  clientIp?: string
}

export interface GatewayDeps {
  apps: readonly AppConfig[]
  store: Store
  clock: Clock
  rateLimiter: RateLimiter
  verifier: UserSigVerifier
  /** The kicks the verifier consults; told about each kick this instance commits. */
  kicks?: KickedLogins
  beforeSend: BeforeSendClient
  commands?: ReadonlyMap<string, Command>
  /** Where unexpected failures are logged, once per cause and interval; each request's log otherwise. */
  repeats?: RepeatLog
}

/** What the access log needs to know about a request once it is answered. */
export interface V4Outcome {
  envelope: Envelope
  sdkAppId: number | undefined
  /** `service/command` of a known or not-implemented command; undefined for any other path. */
  command: string | undefined
}

export type V4Handler = (req: V4Request) => Promise<V4Outcome>

const LOCAL_IP = '127.0.0.1'

/**
 * The same transaction, with every event it enqueues stamped with the caller's address, and the
 * events nobody will receive (the app has no callback URL, or does not list the command) not
 * written at all (design.md decision 16), so commands enqueue whatever they cause.
 */
function forRequest(tx: Tx, app: AppConfig, clientIp: string): Tx {
  const enqueue: Tx['outbox']['enqueue'] = async (event) => {
    if (receives(app, event.command)) await tx.outbox.enqueue({ clientIp, ...event })
  }
  return { ...tx, outbox: { enqueue } }
}

export function createV4Handler(deps: GatewayDeps): V4Handler {
  const apps = new Map(deps.apps.map((a) => [a.sdkAppId, a]))
  const table = deps.commands ?? commandTable
  const { store, clock, rateLimiter, verifier, beforeSend } = deps
  /** Not-implemented commands already warned about: once per command per process. */
  const warned = new Set<string>()

  return async function handleV4(req) {
    const outcome = await answer(req)
    const service = outcome.service && serviceCodes[outcome.service]
    if (service?.errorDisplay) outcome.envelope.ErrorDisplay = ''
    return { envelope: outcome.envelope, sdkAppId: outcome.sdkAppId, command: outcome.command }
  }

  async function answer(req: V4Request): Promise<V4Outcome & { service?: Service }> {
    let sdkAppId: number | undefined
    let cmd: Command | undefined
    let name: string | undefined
    try {
      const path = parseV4Path(req.path)
      const key = path && `${path.service}/${path.command}`
      cmd = key === undefined ? undefined : table.get(key)
      if (cmd === undefined) {
        if (key !== undefined && notImplemented.has(key)) {
          name = key
          if (!warned.has(key)) {
            warned.add(key)
            req.log.warn({ command: key }, `a client called ${key}, which receiptd does not implement`)
          }
          throw new TencentError(60009, `receiptd does not implement ${key} yet`)
        }
        throw new TencentError(60009, `unknown API: ${req.path}`)
      }
      name = key
      const params = readV4Params(parseQuery(req.query))
      if (params.sdkAppIdRaw === undefined || params.sdkAppIdRaw === '') throw new TencentError(60012)
      const app = /^\d{1,10}$/.test(params.sdkAppIdRaw) ? apps.get(Number(params.sdkAppIdRaw)) : undefined
      if (app === undefined) throw new TencentError(60006)
      sdkAppId = app.sdkAppId
      await verifier.verify(app, params.identifier, params.usersig, clock.nowSeconds())
      const rate = app.limits.ratePerSecond ?? cmd.perSecond
      if (rate > 0) {
        let allowed = rateLimiter.take(`${app.sdkAppId}/${cmd.service}/${cmd.name}`, rate, clock.nowMs())
        if (typeof allowed !== 'boolean') allowed = await allowed
        if (!allowed) throw new TencentError(60007)
      }
      const parsed = parseJsonBody(req.body)
      if (!parsed.ok) {
        const code = serviceCodes[cmd.service].badJson
        req.log.debug({ reason: parsed.reason }, 'unparseable request body')
        throw new TencentError(code, code === 90001 ? codes[90001] : `${codes[code]}: ${parsed.reason}`)
      }
      const clientIp = req.clientIp ?? LOCAL_IP
      const ctx: CommandContext = {
        app,
        caller: params.identifier,
        clock,
        log: req.log,
        transaction: (fn, shape) =>
          store.transaction(app.sdkAppId, (tx) => fn(forRequest(tx, app, clientIp)), shape),
        read: (fn, shape) => store.read(app.sdkAppId, fn, shape),
        webhooks: beforeSend.forRequest({ app, clientIp, log: req.log }),
        kicked: (userId, notBefore) => deps.kicks?.kicked(app.sdkAppId, userId, notBefore),
      }
      const { actionStatus, successInfo, ...fields } = await cmd.run(parsed.body, ctx)
      return {
        envelope: ok(fields, actionStatus, successInfo),
        sdkAppId,
        command: name,
        service: cmd.service,
      }
    } catch (e) {
      const service = cmd?.service
      if (e instanceof TencentError) {
        const notAdmin = service && serviceCodes[service].notAdmin
        const code = e.code === 60010 && notAdmin !== undefined ? notAdmin : e.code
        const info = code === e.code ? e.info : codes[notAdmin!]
        return { envelope: failure(code, info), sdkAppId, command: name, service }
      }
      // One failure cause (a full disk, a lost database) fails every request alike: its stack is
      // logged once, then counted, instead of once per request.
      const fields = { err: e, command: cmd && `${cmd.service}/${cmd.name}` }
      const msg = 'unexpected failure while answering a v4 request'
      if (deps.repeats) deps.repeats.error(failureKey('v4', e), fields, msg)
      else req.log.error(fields, msg)
      const code = cmd ? serviceCodes[cmd.service].internal : 70500
      return { envelope: failure(code, codes[code]), sdkAppId, command: name, service }
    }
  }
}
