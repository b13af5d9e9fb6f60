/**
 * Before-send callbacks (`C2C.CallbackBeforeSendMsg`, `Group.CallbackBeforeSendMsg`, spec §7.3,
 * §7.4, §7.7): the one synchronous call out. A send command asks before its store transaction and
 * gets a typed decision; it never awaits this inside a transaction. The answer is judged as the
 * spec says: `ErrorCode` 0 sends (with `MsgBody`/`CloudCustomData` replaced when the app gave
 * them), 1 forbids (20006 C2C, 10016 group), 2 drops silently, a custom code in the command's range
 * is passed to the sender with the app's ErrorInfo. A callback that fails (unreachable, timeout,
 * status ≠ 200, not JSON, an answer outside the protocol) follows the app's `timeoutPolicy`:
 * `deliver` sends the message unchanged, `reject` answers 80003.
 */
import type { AppConfig } from '../config/config.js'
import type { Clock } from '../domain/clock.js'
import { TencentError, type CallbackCode, type Code } from '../domain/codes.js'
import type { Log } from '../log.js'
import { REST_PLATFORM, type BeforeSendCommand } from './events.js'
import type { CallbackHttp } from './http-client.js'
import { callbackUrl } from './sign.js'

/** Fields of `C2C.CallbackBeforeSendMsg`, in Tencent's order (spec §7.4). */
export interface C2CBeforeSendFields {
  From_Account: string
  To_Account: string
  MsgSeq: number
  MsgRandom: number
  /** Unix seconds. */
  MsgTime: number
  MsgKey: string
  /** 1 for an online-only message, else 0. */
  OnlineOnlyFlag: 0 | 1
  MsgBody: unknown[]
  CloudCustomData?: string
}

/** Fields of `Group.CallbackBeforeSendMsg`: the after-send body minus MsgSeq/MsgTime (spec §7.7). */
export interface GroupBeforeSendFields {
  GroupId: string
  Type: string
  From_Account: string
  Operator_Account: string
  Random: number
  OnlineOnlyFlag: 0 | 1
  MsgBody: unknown[]
  CloudCustomData?: string
  TopicId?: string
  /** Milliseconds, an integer (spec §7.7). */
  EventTime?: number
}

/** Fields of `Group.CallbackBeforeCreateGroup` (spec part 2 §21.1). */
export interface GroupBeforeCreateFields {
  Operator_Account: string
  Owner_Account: string
  Type: string
  Name: string
  /** Groups of this type the owner (or operator) has now. */
  CreateGroupNum: number
  /** The same for every type (DOOCS models it). */
  CreatedGroupNum: Record<string, number>
  MemberList: { Member_Account: string }[]
  EventTime: number
}

export interface BeforeSendFields {
  'C2C.CallbackBeforeSendMsg': C2CBeforeSendFields
  'Group.CallbackBeforeSendMsg': GroupBeforeSendFields
  'Group.CallbackBeforeCreateGroup': GroupBeforeCreateFields
}

/**
 * What the send command does next.
 * - `send`: store and deliver the message with this `MsgBody` and `CloudCustomData` (the app's
 *   replacement when it gave one); the after-send event carries them too. `via` says why.
 * - `drop`: answer the sender success and store nothing; no after-send event (ErrorCode 2).
 * - `reject`: throw `error` (20006 / 10016 / the app's custom code / 80003).
 */
export type BeforeSendDecision =
  | {
      action: 'send'
      MsgBody: unknown[]
      CloudCustomData: string | undefined
      via: 'not-asked' | 'allowed' | 'modified' | 'callback-failed'
    }
  | { action: 'drop' }
  | { action: 'reject'; error: TencentError }

/** The per-request face commands see as `ctx.webhooks`. */
export interface BeforeSendHook {
  /**
   * Asks the app backend (when the app has the command on) whether a message may be sent.
   * `skip: true` for a message whose `ForbidCallbackControl` lists `ForbidBeforeSendMsgCallback`.
   * @example
   * const d = await ctx.webhooks.beforeSend('C2C.CallbackBeforeSendMsg', fields, { skip })
   * if (d.action === 'reject') throw d.error
   * if (d.action === 'drop') return { MsgTime, MsgKey }
   */
  beforeSend<C extends BeforeSendCommand>(
    command: C,
    fields: BeforeSendFields[C],
    options?: { skip?: boolean },
  ): Promise<BeforeSendDecision>
  /** Whether `beforeSend` would call the app: lets a command skip reads only the callback needs. */
  asks(command: BeforeSendCommand): boolean
}

/** Per command: the code for a plain forbid and the range of the app's own codes (spec §7.3). */
const RULES: Record<BeforeSendCommand, { forbid: Code; custom: [number, number] }> = {
  'C2C.CallbackBeforeSendMsg': { forbid: 20006, custom: [120001, 130000] },
  'Group.CallbackBeforeSendMsg': { forbid: 10016, custom: [10100, 10200] },
  'Group.CallbackBeforeCreateGroup': { forbid: 10016, custom: [10100, 10200] },
}

/** Asks that decide whether something happens, not what a message says: no drop, no replacement. */
const YES_NO: readonly BeforeSendCommand[] = ['Group.CallbackBeforeCreateGroup']

type Verdict =
  | { kind: 'allow'; MsgBody: unknown[] | undefined; CloudCustomData: string | undefined }
  | { kind: 'drop' }
  | { kind: 'forbid'; error: TencentError }
  | { kind: 'invalid'; reason: string }

/** Reads an answer that arrived as a 200 with JSON. */
export function judgeAnswer(command: BeforeSendCommand, answer: unknown): Verdict {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    return { kind: 'invalid', reason: 'the answer is not a JSON object' }
  }
  const a = answer as Record<string, unknown>
  const code = a.ErrorCode
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    return { kind: 'invalid', reason: 'the answer has no integer ErrorCode' }
  }
  const rule = RULES[command]
  if (code === 0 && YES_NO.includes(command))
    return { kind: 'allow', MsgBody: undefined, CloudCustomData: undefined }
  if (code === 0) {
    const body = a.MsgBody ?? undefined
    const custom = a.CloudCustomData ?? undefined
    // [U] A replacement the message could not be stored with is a failed callback, not a send.
    if (body !== undefined && !(Array.isArray(body) && body.length > 0 && body.every(isObject))) {
      return { kind: 'invalid', reason: 'MsgBody in the answer is not a non-empty array of objects' }
    }
    if (custom !== undefined && typeof custom !== 'string') {
      return { kind: 'invalid', reason: 'CloudCustomData in the answer is not a string' }
    }
    return { kind: 'allow', MsgBody: body, CloudCustomData: custom }
  }
  if (code === 1) return { kind: 'forbid', error: new TencentError(rule.forbid) }
  // [U] A yes/no ask has no silent drop: 2, like any other refusal, is a refusal (spec part 2 §21.1).
  if (code === 2 && !YES_NO.includes(command)) return { kind: 'drop' }
  if (code >= rule.custom[0] && code <= rule.custom[1]) {
    const info = typeof a.ErrorInfo === 'string' ? a.ErrorInfo : ''
    return { kind: 'forbid', error: new TencentError(code as CallbackCode, info) }
  }
  if (YES_NO.includes(command)) return { kind: 'forbid', error: new TencentError(rule.forbid) }
  // [U] Any other code is outside the protocol: treated as a failed callback.
  return { kind: 'invalid', reason: `ErrorCode ${code} is not an answer to ${command}` }
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)

export interface BeforeSendDeps {
  /** A pool of its own: a backlog of after-events never queues ahead of a sender. */
  http: CallbackHttp
  clock: Clock
}

export interface RequestOrigin {
  app: AppConfig
  clientIp: string
  log: Log
}

export class BeforeSendClient {
  readonly #deps: BeforeSendDeps

  constructor(deps: BeforeSendDeps) {
    this.#deps = deps
  }

  /** The hook for one request, bound to its app and the caller's address. */
  forRequest(origin: RequestOrigin): BeforeSendHook {
    return {
      beforeSend: (command, fields, options) => this.ask(origin, command, fields, options),
      asks: (command) => origin.app.callback?.commands.includes(command) ?? false,
    }
  }

  async ask<C extends BeforeSendCommand>(
    origin: RequestOrigin,
    command: C,
    fields: BeforeSendFields[C],
    options: { skip?: boolean } = {},
  ): Promise<BeforeSendDecision> {
    const asked = fields as { MsgBody?: unknown[]; CloudCustomData?: string }
    const unchanged = (via: 'not-asked' | 'callback-failed') =>
      ({ action: 'send', MsgBody: asked.MsgBody ?? [], CloudCustomData: asked.CloudCustomData, via }) as const
    const cb = origin.app.callback
    if (options.skip || cb === undefined || !cb.commands.includes(command)) return unchanged('not-asked')

    const url = callbackUrl({
      url: cb.url,
      token: cb.token,
      sdkAppId: origin.app.sdkAppId,
      command,
      clientIp: origin.clientIp,
      optPlatform: REST_PLATFORM,
      nowSeconds: this.#deps.clock.nowSeconds(),
    })
    const body = JSON.stringify({ CallbackCommand: command, ...fields })
    const out = await this.#deps.http.post(url, body, cb.beforeSendTimeoutMs)
    const verdict: Verdict =
      out.error === undefined ? judgeAnswer(command, out.answer) : { kind: 'invalid', reason: out.error }

    switch (verdict.kind) {
      case 'allow': {
        const modified = verdict.MsgBody !== undefined || verdict.CloudCustomData !== undefined
        return {
          action: 'send',
          MsgBody: verdict.MsgBody ?? asked.MsgBody ?? [],
          CloudCustomData: verdict.CloudCustomData ?? asked.CloudCustomData,
          via: modified ? 'modified' : 'allowed',
        }
      }
      case 'drop':
        return { action: 'drop' }
      case 'forbid':
        return { action: 'reject', error: verdict.error }
      case 'invalid':
        origin.log.warn(
          { command, policy: cb.timeoutPolicy, reason: verdict.reason, ms: out.latencyMs },
          'before-send callback failed',
        )
        if (cb.timeoutPolicy === 'reject') return { action: 'reject', error: new TencentError(80003) }
        return unchanged('callback-failed')
    }
  }
}
