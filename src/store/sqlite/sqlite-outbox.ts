/**
 * OutboxStore on SQLite: rows become visible to the dispatcher when the batch commits. A row is
 * the head of its key when nothing of the key is pending before it.
 */
import { REST_PLATFORM, type WebhookEvent } from '../../webhooks/events.js'
import type { OutboxStore } from '../outbox.js'
import type { OutboxSignal } from './sqlite-deliveries.js'
import { HEAD_FOR_NEW } from './sqlite-heads.js'
import type { Statements } from './statements.js'

/** [U] `ClientIP` of an event recorded outside a request (a tool, a test): the local host. */
const NO_CLIENT_IP = '127.0.0.1'

export class SqliteOutbox implements OutboxStore {
  readonly #s: Statements
  readonly #app: number
  readonly #signal: OutboxSignal

  constructor(statements: Statements, sdkAppId: number, signal: OutboxSignal) {
    this.#s = statements
    this.#app = sdkAppId
    this.#signal = signal
  }

  async enqueue(event: WebhookEvent): Promise<void> {
    this.#s
      .get(
        `INSERT INTO outbox (app_id, command, ordering_key, body, created_ms, client_ip, opt_platform, head)
         VALUES (@app, @command, @key, @body, @created, @ip, @platform, ${HEAD_FOR_NEW})`,
      )
      .run({
        app: this.#app,
        command: event.command,
        key: event.orderingKey,
        body: JSON.stringify(event.body),
        created: event.createdMs,
        ip: event.clientIp ?? NO_CLIENT_IP,
        platform: event.optPlatform ?? REST_PLATFORM,
      })
    this.#signal.mark()
  }
}
