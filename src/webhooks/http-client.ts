/**
 * One POST to an app's callback URL over a keep-alive connection pool (undici), with a hard limit
 * on the whole exchange: connect, send, status, and the answer's body. It judges the exchange as
 * spec §7.3 does: unreachable, refused, TLS error, a status other than 200 or an answer that is not
 * JSON is a failed callback. What the answer says is left to the caller.
 */
import { Agent, request } from 'undici'

/** An answer larger than this is not read: Tencent's answers are a few fields. */
const MAX_ANSWER_BYTES = 1024 * 1024

export interface PostOutcome {
  /** Undefined when no status line arrived. */
  httpStatus: number | undefined
  latencyMs: number
  /** Why the callback failed; undefined for a 200 whose body is JSON. */
  error: string | undefined
  /** The parsed answer, when there is one. */
  answer: unknown
}

export interface CallbackHttpOptions {
  /** Connections kept per callback origin. */
  connections: number
  keepAliveTimeoutMs?: number
}

export class CallbackHttp {
  readonly #agent: Agent

  constructor(options: CallbackHttpOptions) {
    this.#agent = new Agent({
      connections: options.connections,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      pipelining: 1,
    })
  }

  /** Never throws: every way of failing is an outcome. `signal` cuts an attempt short (shutdown). */
  async post(url: string, body: string, timeoutMs: number, signal?: AbortSignal): Promise<PostOutcome> {
    const started = performance.now()
    // One controller and one timer per attempt: cheaper than AbortSignal.timeout + AbortSignal.any.
    const abort = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      abort.abort()
    }, timeoutMs)
    const cut = () => abort.abort()
    signal?.addEventListener('abort', cut, { once: true })
    let httpStatus: number | undefined
    const done = (error: string | undefined, answer: unknown = undefined): PostOutcome => ({
      httpStatus,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      error,
      answer,
    })
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        // [U] Tencent does not document the header (spec §7.1); design.md decision 12.
        headers: { 'content-type': 'application/json' },
        body,
        signal: abort.signal,
      })
      httpStatus = res.statusCode
      if (res.statusCode !== 200) {
        await res.body.dump()
        return done(`HTTP status ${res.statusCode}`)
      }
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > MAX_ANSWER_BYTES) {
          res.body.destroy()
          return done(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`)
        }
        chunks.push(chunk)
      }
      const text = Buffer.concat(chunks).toString('utf8')
      try {
        return done(undefined, JSON.parse(text))
      } catch {
        return done(`the answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`)
      }
    } catch (e) {
      if (timedOut) return done(`no complete answer within ${timeoutMs} ms`)
      if (signal?.aborted) return done('aborted: receiptd is shutting down')
      const err = e as { code?: string; message?: string }
      return done(`${err.code ?? 'error'}: ${err.message ?? String(e)}`)
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', cut)
    }
  }

  close(): Promise<void> {
    return this.#agent.destroy()
  }
}
