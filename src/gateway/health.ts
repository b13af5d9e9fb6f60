/**
 * `GET /healthz`: 200 `{"status":"ok","store":<kind>}` while the store answers; 503
 * `{"status":"unavailable","store":<kind>,"reason":<why>}` while it does not, the reason being the
 * message of `store.check()`'s rejection. A failure is logged once per interval with a count.
 */
import type { Store } from '../store/store.js'
import type { RepeatLog } from '../logging/repeat-log.js'
import { json, type Routes } from './routes.js'

export function addHealthRoute(routes: Routes, store: Store, repeats: RepeatLog): void {
  routes.add('GET', '/healthz', async () => {
    try {
      await store.check()
      return json(200, { status: 'ok', store: store.kind })
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      repeats.warn(`healthz:${reason}`, { reason }, 'health check failed')
      return json(503, { status: 'unavailable', store: store.kind, reason })
    }
  })
}
