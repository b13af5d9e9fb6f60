/**
 * One webhook delivery as the console shows it (issue 16 §3): its status, its body, and for each
 * attempt the exact URL it was POSTed to. The URL is rebuilt as the dispatcher built it
 * (`callbackUrl`: the app's callback URL, Tencent's query, and with a token `Sign` and
 * `RequestTime` for the second the attempt started), from the app's current callback config.
 */
import { TencentError } from '../domain/codes.js'
import type { Store } from '../store/store.js'
import { callbackUrl } from '../webhooks/sign.js'
import { param, type InspectRequest } from './request.js'

export async function getDelivery(store: Store, r: InspectRequest) {
  const raw = param(r, 'id')
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : undefined
  const d = id === undefined ? undefined : await store.read(r.app.sdkAppId, (tx) => tx.deliveries.get(id))
  if (d === undefined) throw new TencentError(60009, `no delivery ${raw} in app ${r.app.sdkAppId}`)
  const cb = r.app.callback
  return {
    Delivery: {
      Id: d.id,
      CallbackCommand: d.command,
      OrderingKey: d.orderingKey,
      Status: d.status,
      CreatedMs: d.createdMs,
      NextAttemptMs: d.nextAttemptMs ?? null,
      FinishedMs: d.finishedMs ?? null,
      Body: d.body,
      Attempts: d.attempts.map((a) => ({
        Attempt: a.attempt,
        TimeMs: a.startedMs,
        HttpStatus: a.httpStatus ?? null,
        LatencyMs: a.latencyMs,
        Error: a.error ?? null,
        AnswerCode: a.answerCode ?? null,
        Url:
          cb === undefined
            ? null
            : callbackUrl({
                url: cb.url,
                token: cb.token,
                sdkAppId: r.app.sdkAppId,
                command: d.command,
                clientIp: d.clientIp,
                optPlatform: d.optPlatform,
                nowSeconds: Math.floor(a.startedMs / 1000),
              }),
      })),
    },
  }
}
