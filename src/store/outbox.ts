/** The outbox concern: webhook events written in the same transaction as the change they report. */
import type { WebhookEvent } from '../webhooks/events.js'

export interface OutboxStore {
  /** Records an event for delivery; it becomes visible to the dispatcher only when the transaction commits. */
  enqueue(event: WebhookEvent): Promise<void>
}
