/**
 * The baseline: a bare Node.js HTTP server that reads the body, parses the same JSON and answers the
 * same envelope with the same headers. Nothing is faster on this stack; receiptd is measured
 * against it in the same run.
 */
import { createServer } from 'node:http'

const ENVELOPE = JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'X-Requested-With',
  'access-control-allow-methods': 'POST',
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'))
      res.writeHead(200, HEADERS).end(ENVELOPE)
    } catch {
      res.writeHead(200, HEADERS).end('{"ActionStatus":"FAIL","ErrorInfo":"bad json","ErrorCode":90001}')
    }
  })
})
server.keepAliveTimeout = 72_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address && typeof address === 'object')
    process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
