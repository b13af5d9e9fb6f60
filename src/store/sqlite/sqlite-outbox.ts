/** OutboxStore on SQLite: rows become visible to the dispatcher when the batch commits. */
import type { WebhookEvent } from '../../webhooks/events.js'
import type { OutboxStore } from '../outbox.js'
import type { Statements } from './statements.js'

export class SqliteOutbox implements OutboxStore {
  readonly #s: Statements
  readonly #app: number

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
  }

  async enqueue(event: WebhookEvent): Promise<void> {
    this.#s
      .get('INSERT INTO outbox (app_id, command, ordering_key, body, created_ms) VALUES (?, ?, ?, ?, ?)')
      .run(this.#app, event.command, event.orderingKey, JSON.stringify(event.body), event.createdMs)
  }
}
