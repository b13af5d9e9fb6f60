/**
 * The webhook delivery concern: each outbox event is one delivery job with a status, and every
 * attempt to deliver it is logged (design.md decision 12, style §5).
 *
 * Two faces. `DeliveryQueue` is what the dispatcher uses; it spans every app, so it hangs off
 * `Store` rather than an app's `Tx`. `DeliveryLog` is one app's view for receiptd's /api.
 *
 * Ordering: events of one (app, ordering key) go out strictly in the order they were recorded. Only
 * the oldest pending event of a key, its head, can be claimed; the next becomes the head once it is
 * delivered, failed for good or skipped. A failed event therefore holds its key back only while it
 * has retries. Engines keep the heads marked, so a claim reads the heads alone and costs the same
 * however many events wait behind them.
 *
 * Retention: finished events stay in the log until the dispatcher sweeps them
 * (`webhooks.retentionHours`, design.md decision 16).
 *
 * Claims are leases. An engine that serves several instances (PostgreSQL) claims with
 * `SELECT … FOR UPDATE SKIP LOCKED` over the heads of the keys, sets `lease_owner` and
 * `lease_until_ms`, and commits; a lease that runs out (its instance died) makes the event claimable
 * again, so every event is delivered at least once. `record` only moves an event its caller still
 * holds.
 */
import type { AfterEventCommand } from '../webhooks/events.js'

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped'

export const deliveryStatuses: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed', 'skipped']

/** An event handed to a dispatcher to send now. */
export interface ClaimedEvent {
  id: number
  sdkAppId: number
  command: AfterEventCommand
  orderingKey: string
  /** The JSON body exactly as recorded: it is sent byte for byte. */
  body: string
  clientIp: string
  optPlatform: string
  /** Attempts already made since the event was recorded or last re-queued. */
  tries: number
}

export interface ClaimRequest {
  /** The claiming instance; holds the lease. */
  owner: string
  nowMs: number
  leaseMs: number
  limit: number
  /**
   * Whether the app still wants this command. Events it does not want are marked `skipped` in the
   * same step and never sent: the decision follows the config at delivery time.
   */
  wanted(sdkAppId: number, command: AfterEventCommand): boolean
}

export interface Attempt {
  startedMs: number
  /** Undefined when no HTTP status arrived. */
  httpStatus: number | undefined
  latencyMs: number
  /** Why the attempt failed; undefined for a delivered event. */
  error: string | undefined
  /** `ErrorCode` of a JSON answer: logged, never acted on (spec §7.3). */
  answerCode: number | undefined
}

/** Where an event goes after an attempt. */
export type AfterAttempt =
  { status: 'delivered' | 'failed'; nowMs: number } | { status: 'pending'; nextAttemptMs: number }

export interface DeliveryQueue {
  /**
   * Called once when a dispatcher starts. An engine that serves a single instance (SQLite) voids
   * the leases of earlier processes here, so events that were in flight at a crash go out at once;
   * an engine shared by several instances leaves them to expire.
   */
  start(owner: string): Promise<void>
  /** Leases up to `limit` due events, oldest first, at most one per ordering key. */
  claim(request: ClaimRequest): Promise<ClaimedEvent[]>
  /** Logs an attempt at a claimed event and moves the event, if `owner` still holds it. */
  record(owner: string, event: ClaimedEvent, attempt: Attempt, next: AfterAttempt): Promise<void>
  /**
   * Deletes up to `limit` finished events (delivered, failed or skipped) that finished at or before
   * `finishedUpToMs`, oldest first, with their attempts; resolves with how many. One short
   * transaction, so a dispatcher sweeping in small batches never holds the API up.
   */
  sweep(finishedUpToMs: number, limit: number): Promise<number>
  /** Gives back leases without an attempt (an orderly shutdown). */
  release(owner: string, eventIds: readonly number[]): Promise<void>
  /**
   * Gives back every lease `owner` holds on a pending event except those of `keep`: after a claim
   * whose answer was lost (the database stopped answering and may have committed it later), the
   * events it leased without the dispatcher knowing wait for nobody.
   */
  releaseOthers(owner: string, keep: readonly number[]): Promise<void>
  /** Calls `listener` after a commit that recorded or re-queued events; returns the unsubscriber. */
  onChange(listener: () => void): () => void
}

export interface AttemptRecord extends Attempt {
  /** 1 for the first attempt ever made for the event. */
  attempt: number
}

export interface Delivery {
  id: number
  command: AfterEventCommand
  orderingKey: string
  status: DeliveryStatus
  createdMs: number
  /** When a pending event is next tried. */
  nextAttemptMs: number | undefined
  /** When it was delivered, failed for good or skipped. */
  finishedMs: number | undefined
  body: string
  /** `ClientIP` and `OptPlatform` of the callback's query (spec §7.1). */
  clientIp: string
  optPlatform: string
  attempts: AttemptRecord[]
}

export interface DeliveryFilter {
  command: AfterEventCommand | undefined
  status: DeliveryStatus | undefined
  /** Only events older than this id: the paging cursor. */
  beforeId: number | undefined
  limit: number
}

/** What a read-only snapshot may ask of one app's delivery log, newest first. */
export interface DeliveryLogReads {
  list(filter: DeliveryFilter): Promise<Delivery[]>
  get(id: number): Promise<Delivery | undefined>
}

/** One app's delivery log. */
export interface DeliveryLog extends DeliveryLogReads {
  /**
   * Makes a finished event (failed, skipped or delivered) pending again with a fresh round of
   * retries, due now; a pending one is left as it is. Undefined when the app has no such event.
   */
  requeue(id: number, nowMs: number): Promise<Delivery | undefined>
}
