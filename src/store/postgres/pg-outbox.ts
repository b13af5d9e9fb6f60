/** OutboxStore on PostgreSQL: rows become visible to dispatchers when the transaction commits. */
import type { WebhookEvent } from '../../webhooks/events.js'
import type { OutboxStore } from '../outbox.js'
import type { Queryable } from './pg-store.js'

export class PgOutbox implements OutboxStore {
  readonly #db: Queryable
  readonly #app: number

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
  }

  async enqueue(event: WebhookEvent): Promise<void> {
    await this.#db.query(
      'INSERT INTO outbox (app_id, command, ordering_key, body, created_ms) VALUES ($1, $2, $3, $4, $5)',
      [this.#app, event.command, event.orderingKey, JSON.stringify(event.body), event.createdMs],
    )
  }
}
