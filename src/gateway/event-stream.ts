/**
 * Server-sent events (text/event-stream, WHATWG HTML §9.2) for routes that stream: each event is
 * `event:`/`id:` lines and one `data:` line of JSON. A comment line every 15 s keeps proxies from
 * closing an idle stream; a client whose unread backlog passes 1 MiB is disconnected rather than
 * buffered without end. Streams end when the route's `run` settles, the client leaves, or the
 * server shuts down.
 */
import type { ServerResponse } from 'node:http'
import type { Log } from '../log.js'
import type { EventsAnswer, EventStream } from './routes.js'

const HEARTBEAT_MS = 15_000
const MAX_BACKLOG_BYTES = 1024 * 1024

const oneLine = (s: string) => s.replace(/[\r\n]/g, ' ')

export function openEventStream(
  res: ServerResponse,
  requestId: string,
  cors: Record<string, string>,
  registry: Set<() => void>,
  answer: EventsAnswer,
  log: Log,
): Promise<void> {
  res.writeHead(200, {
    ...cors,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    'x-request-id': requestId,
  })
  res.write(': stream open\n\n')
  const abort = new AbortController()
  let resolveClosed!: () => void
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve))
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref()
  const end = () => {
    if (abort.signal.aborted) return
    abort.abort()
    clearInterval(heartbeat)
    registry.delete(end)
    if (!res.writableEnded) res.end()
    resolveClosed()
  }
  registry.add(end)
  res.on('close', end)
  const stream: EventStream = {
    closed,
    signal: abort.signal,
    send(data, event, id) {
      if (abort.signal.aborted) return false
      if (res.writableLength > MAX_BACKLOG_BYTES) {
        log.warn({ backlogBytes: res.writableLength }, 'event stream client too slow: disconnected')
        res.destroy()
        end()
        return false
      }
      let frame = ''
      if (id !== undefined) frame += `id: ${oneLine(id)}\n`
      if (event !== undefined) frame += `event: ${oneLine(event)}\n`
      res.write(`${frame}data: ${JSON.stringify(data ?? null)}\n\n`)
      return true
    },
  }
  return answer.run(stream).then(
    () => end(),
    (e: unknown) => {
      log.error({ err: e }, 'event stream failed')
      end()
    },
  )
}
