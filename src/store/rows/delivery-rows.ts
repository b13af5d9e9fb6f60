/**
 * Row shapes of the outbox and `webhook_attempts` as the delivery queue and log read them, and the
 * mapping of log rows to `Delivery`: the same in both engines.
 */
import type { AfterEventCommand } from '../../webhooks/events.js'
import type { AttemptRecord, ClaimedEvent, Delivery, DeliveryStatus } from '../deliveries.js'

/** An event due for delivery, as a claim reads it. */
export interface DueRow {
  id: number
  app_id: number
  command: AfterEventCommand
  ordering_key: string
  body: string
  client_ip: string
  opt_platform: string
  tries: number
}

export interface LogRow {
  id: number
  command: AfterEventCommand
  ordering_key: string
  status: DeliveryStatus
  created_ms: number
  next_attempt_ms: number
  finished_ms: number | null
  body: string
  client_ip: string
  opt_platform: string
}

export interface AttemptRow {
  outbox_id: number
  attempt: number
  started_ms: number
  http_status: number | null
  latency_ms: number
  error: string | null
  answer_code: number | null
}

export const DUE_COLUMNS = 'id, app_id, command, ordering_key, body, client_ip, opt_platform, tries'

/** The event a claim hands out, from its row. */
export function toClaimed(row: DueRow): ClaimedEvent {
  return {
    id: row.id,
    sdkAppId: row.app_id,
    command: row.command,
    orderingKey: row.ordering_key,
    body: row.body,
    clientIp: row.client_ip,
    optPlatform: row.opt_platform,
    tries: row.tries,
  }
}

export const LOG_COLUMNS =
  'id, command, ordering_key, status, created_ms, next_attempt_ms, finished_ms, body, client_ip, opt_platform'

/** Log rows with their attempts (`attempts` in outbox_id, attempt order), in the rows' order. */
export function toDeliveries(rows: readonly LogRow[], attempts: readonly AttemptRow[]): Delivery[] {
  const byEvent = new Map<number, AttemptRecord[]>(rows.map((r) => [r.id, []]))
  for (const a of attempts) {
    byEvent.get(a.outbox_id)?.push({
      attempt: a.attempt,
      startedMs: a.started_ms,
      httpStatus: a.http_status ?? undefined,
      latencyMs: a.latency_ms,
      error: a.error ?? undefined,
      answerCode: a.answer_code ?? undefined,
    })
  }
  return rows.map((r) => ({
    id: r.id,
    command: r.command,
    orderingKey: r.ordering_key,
    status: r.status,
    createdMs: r.created_ms,
    nextAttemptMs: r.status === 'pending' ? r.next_attempt_ms : undefined,
    finishedMs: r.finished_ms ?? undefined,
    body: r.body,
    clientIp: r.client_ip,
    optPlatform: r.opt_platform,
    attempts: byEvent.get(r.id)!,
  }))
}
