/**
 * Reads an app's `callback` section (spec §7, design.md decision 12): the URL and token, which
 * callbacks are on, the before-send limit and policy, and the after-event retry schedule.
 */
import { callbackCommands, type CallbackCommand } from '../webhooks/events.js'
import { ConfigError, checkKeys, int, isObj, oneOf, str } from './checks.js'
import { callbackDefaults, type CallbackConfig } from './config.js'

const KEYS = ['url', ...Object.keys(callbackDefaults)]

/** A timeout longer than this would hold a sender's request, or a delivery lease, too long. */
const MAX_TIMEOUT_MS = 30_000

export function parseCallback(raw: unknown, at: string): CallbackConfig {
  if (!isObj(raw)) throw new ConfigError(`${at}: expected an object with url`)
  checkKeys(raw, at, KEYS)
  const url = str(raw.url, `${at}.url`)
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError(`${at}.url: expected an http(s) URL, got ${JSON.stringify(url)}`)
  }
  const d = callbackDefaults
  const opt = <T>(key: keyof typeof d, read: (v: unknown, at: string) => T, fallback: T): T =>
    raw[key] === undefined ? fallback : read(raw[key], `${at}.${key}`)
  return {
    url,
    token: opt('token', (v, a) => str(v, a), d.token),
    commands: opt('commands', commandList, d.commands),
    beforeSendTimeoutMs: opt(
      'beforeSendTimeoutMs',
      (v, a) => int(v, a, 1, MAX_TIMEOUT_MS),
      d.beforeSendTimeoutMs,
    ),
    timeoutPolicy: opt(
      'timeoutPolicy',
      (v, a) => oneOf(v, a, ['deliver', 'reject'] as const),
      d.timeoutPolicy,
    ),
    afterEventTimeoutMs: opt(
      'afterEventTimeoutMs',
      (v, a) => int(v, a, 1, MAX_TIMEOUT_MS),
      d.afterEventTimeoutMs,
    ),
    retries: opt('retries', (v, a) => int(v, a, 0, 100), d.retries),
    retryBackoffMs: opt('retryBackoffMs', (v, a) => int(v, a, 1, 3_600_000), d.retryBackoffMs),
  }
}

function commandList(v: unknown, at: string): CallbackCommand[] {
  if (!Array.isArray(v)) throw new ConfigError(`${at}: expected a list of callback commands`)
  const list = v.map((c, i) => oneOf(c, `${at}[${i}]`, callbackCommands))
  return [...new Set(list)]
}
