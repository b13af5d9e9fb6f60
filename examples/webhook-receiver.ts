/**
 * A minimal app backend for receiptd's (and Tencent's) webhooks: checks `Sign`, answers OK, and
 * hands each callback to `onEvent`. Run it with `npx tsx examples/webhook-receiver.ts` and point an
 * app's `callback.url` at http://127.0.0.1:9099/hook with the same token.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'

/** Sign = lowercase hex SHA-256 of token + RequestTime; refuse stale requests to stop replays. */
export function verifySign(
  token: string,
  query: URLSearchParams,
  nowSeconds: number,
  maxAgeSeconds = 300,
): boolean {
  const sign = query.get('Sign') ?? ''
  const requestTime = query.get('RequestTime') ?? ''
  if (!/^\d+$/.test(requestTime) || Math.abs(nowSeconds - Number(requestTime)) > maxAgeSeconds) return false
  const expected = createHash('sha256')
    .update(token + requestTime)
    .digest('hex')
  return sign.length === expected.length && timingSafeEqual(Buffer.from(sign), Buffer.from(expected))
}

export function webhookReceiver(token: string, onEvent: (command: string, body: unknown) => void): Server {
  return createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://receiver').searchParams
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (!verifySign(token, query, Math.floor(Date.now() / 1000))) {
        res.writeHead(401).end()
        return
      }
      onEvent(query.get('CallbackCommand') ?? '', JSON.parse(Buffer.concat(chunks).toString('utf8')))
      // After-event answers are logged by receiptd; before-send answers decide (0 allow, 1 forbid, 2 drop).
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}')
    })
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.env.CALLBACK_TOKEN ?? 'change-me'
  webhookReceiver(token, (command, body) => console.log(command, JSON.stringify(body))).listen(
    9099,
    '127.0.0.1',
  )
}
