/**
 * What a v4 command is: its service and name as in the URL, its rate, its declared fields, and
 * `run`, which maps wire names to domain calls and returns only the API-specific response fields.
 * The envelope (`ActionStatus`, `ErrorCode`, `ErrorInfo`) is added by the gateway.
 */
import type { AppConfig } from '../config/config.js'
import type { Clock } from '../domain/clock.js'
import type { Code } from '../domain/codes.js'
import type { Log } from '../log.js'
import type { ReadTx, Tx, TxShape } from '../store/store.js'
import type { BeforeSendHook } from '../webhooks/before-send.js'
import { readFields, type Field, type FieldType, type JsonObject } from './fields.js'

export type Service = 'im_open_login_svc' | 'openim' | 'group_open_http_svc' | 'recentcontact' | 'profile'

export interface ServiceCodes {
  badJson: Code
  internal: Code
  /** The service's own "needs App admin" code, answered instead of the gateway's 60010. */
  notAdmin?: Code
  /** The service's envelope carries `ErrorDisplay` (text for end users, always ""). */
  errorDisplay?: true
}

/** Per-service answers to a body that is not a JSON object, and to an unexpected failure (style §3). */
export const serviceCodes: Record<Service, ServiceCodes> = {
  im_open_login_svc: { badJson: 70402, internal: 70500 },
  openim: { badJson: 90001, internal: 91000 },
  group_open_http_svc: { badJson: 10011, internal: 10002 },
  // Spec part 2 §17 and §20: their own error families, and ErrorDisplay in every answer.
  recentcontact: { badJson: 50002, internal: 50004, notAdmin: 50003, errorDisplay: true },
  profile: { badJson: 40001, internal: 40006, notAdmin: 40004, errorDisplay: true },
}

export interface CommandContext {
  app: AppConfig
  /** The admin UserID that signed the request (`identifier`). */
  caller: string
  clock: Clock
  log: Log
  /**
   * A store transaction scoped to the calling app. Events enqueued in it carry the caller's
   * address as `ClientIP` (spec §7.1) without the command saying so.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, shape?: TxShape): Promise<T>
  /**
   * A read-only snapshot of the calling app's data, for commands (or the parts of them) that only
   * read: it takes no write lock and waits for no batch, and sees every write answered before it.
   */
  read<T>(fn: (tx: ReadTx) => Promise<T>, shape?: TxShape): Promise<T>
  /** Before-send callbacks; ask before `transaction`, never inside it (spec §7.3). */
  webhooks: BeforeSendHook
  /** Tells this instance's UserSig check about a kick, once it has committed (spec part 2 §19.2). */
  kicked(userId: string, notBefore: number): void
}

/**
 * A command's answer. `actionStatus` is for the few APIs that report partial success
 * (batchsendmsg's "SomeError", spec §4.4); everything else is "OK".
 */
export type CommandResult = Record<string, unknown> & {
  actionStatus?: 'OK' | 'SomeError'
  /** The `ErrorInfo` of a success, for the few APIs whose answer has text there ("succeed", spec part 2 §18). */
  successInfo?: string
}

export interface Command {
  service: Service
  name: string
  /** Tencent's documented calls per second for this command (spec §1.4). */
  perSecond: number
  /** The request fields it declares, in the order they are checked (for the OpenAPI description). */
  fields: readonly string[]
  run(body: JsonObject, ctx: CommandContext): Promise<CommandResult>
}

export function command<S extends Record<string, Field<unknown>>>(spec: {
  service: Service
  name: string
  perSecond: number
  request: S
  run(req: { [K in keyof S]: FieldType<S[K]> }, ctx: CommandContext): Promise<CommandResult>
}): Command {
  return {
    service: spec.service,
    name: spec.name,
    perSecond: spec.perSecond,
    fields: Object.keys(spec.request),
    run: (body, ctx) => spec.run(readFields(body, spec.request), ctx),
  }
}
