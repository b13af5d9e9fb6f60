/**
 * An app backend for webhook tests: a real HTTP server on a random port that records every callback
 * (method, path, query, headers, raw body) and answers as the test says. It can go down and come
 * back on the same port, and hold answers until released.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  method: string
  path: string
  /** The raw query string, in the order it was sent. */
  rawQuery: string
  query: URLSearchParams
  contentType: string | undefined
  body: string
}

/** An answer: a status and a body, `'hang'` for none at all (the request stays open). */
export type Answer = { status?: number; body?: string } | 'hang'

export const OK_ANSWER = '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}'

export class Receiver {
  readonly received: Received[] = []
  /** Decides each answer; 200 with Tencent's OK answer by default. */
  answer: (r: Received) => Answer | Promise<Answer> = () => ({ status: 200, body: OK_ANSWER })
  #server: Server
  #port = 0
  readonly #open = new Set<ServerResponse>()

  private constructor() {
    this.#server = this.#create()
  }

  static async start(): Promise<Receiver> {
    const r = new Receiver()
    await r.up()
    return r
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`
  }

  /** Listens (again) on the same port. */
  async up(): Promise<void> {
    this.#server = this.#create()
    await new Promise<void>((resolve) => this.#server.listen(this.#port, '127.0.0.1', resolve))
    this.#port = (this.#server.address() as AddressInfo).port
  }

  /** Stops listening and drops every connection: callers see a refused connection. */
  async down(): Promise<void> {
    for (const res of this.#open) res.destroy()
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /** Resolves when `test` holds for the requests received, or fails after `ms`. */
  async waitFor(test: (received: Received[]) => boolean, ms = 10_000): Promise<void> {
    const until = Date.now() + ms
    while (!test(this.received)) {
      if (Date.now() > until)
        throw new Error(`receiver: condition not met; got ${this.received.length} requests`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  /** Bodies received for one command, parsed. */
  bodies(command?: string): Record<string, unknown>[] {
    return this.received
      .filter((r) => command === undefined || r.query.get('CallbackCommand') === command)
      .map((r) => JSON.parse(r.body) as Record<string, unknown>)
  }

  close(): Promise<void> {
    return this.down()
  }

  #create(): Server {
    return createServer((req, res) => void this.#handle(req, res))
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const r: Received = {
      method: req.method ?? '',
      path: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
      contentType: req.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
    }
    this.received.push(r)
    this.#open.add(res)
    res.on('close', () => this.#open.delete(res))
    const a = await this.answer(r)
    if (a === 'hang' || res.destroyed) return
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json' }).end(a.body ?? '')
  }
}

/** Polls `test` until it holds, or fails after `ms`. Bounds a wait; never asserts a speed. */
export async function eventually(test: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!(await test())) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}
