/**
 * The `webhooks` section: how this instance's after-event dispatcher leases and polls, and how long
 * the delivery log keeps finished events. Each failure names the key it came from.
 */
import { MAX_RETENTION_HOURS, type AppConfig, type WebhooksConfig } from './config.js'
import { checkKeys, ConfigError, int, isObj } from './checks.js'

/**
 * A lease is held from the claim until the attempt is recorded: the attempt's limit plus the
 * store's round trips. Twice the limit leaves room for a busy database without a second sender.
 */
const LEASE_PER_ATTEMPT = 2

/** `webhooks` from the file over `defaults`, checked against the apps' attempt limits. */
export function webhooksSettings(
  raw: unknown,
  at: string,
  defaults: WebhooksConfig,
  apps: readonly AppConfig[],
): WebhooksConfig {
  if (raw !== undefined && !isObj(raw)) throw new ConfigError(`${at}: expected a mapping`)
  const r = raw ?? {}
  checkKeys(r, at, Object.keys(defaults))
  const leaseMs = r.leaseMs === undefined ? defaults.leaseMs : int(r.leaseMs, `${at}.leaseMs`, 100, 3_600_000)
  const pollIntervalMs =
    r.pollIntervalMs === undefined
      ? defaults.pollIntervalMs
      : int(r.pollIntervalMs, `${at}.pollIntervalMs`, 10, 600_000)
  const retentionHours =
    r.retentionHours === undefined
      ? defaults.retentionHours
      : int(r.retentionHours, `${at}.retentionHours`, 0, MAX_RETENTION_HOURS)
  for (const [i, app] of apps.entries()) {
    const limit = app.callback?.afterEventTimeoutMs
    if (limit !== undefined && leaseMs < LEASE_PER_ATTEMPT * limit) {
      throw new ConfigError(
        `${at}.leaseMs: ${leaseMs} is too short for apps[${i}].callback.afterEventTimeoutMs ${limit}; ` +
          `a lease must be at least ${LEASE_PER_ATTEMPT} × the attempt limit (${LEASE_PER_ATTEMPT * limit}), ` +
          'or an event still in flight could be sent again by another instance',
      )
    }
  }
  return { leaseMs, pollIntervalMs, retentionHours }
}
