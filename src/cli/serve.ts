/**
 * `receiptd serve`: starts the server with logs on stdout (bounded, never holding the server),
 * prints the development app's banner, and stops on SIGTERM or SIGINT within
 * `server.shutdownTimeoutMs`: requests in flight finish, webhook attempts are given back, the store
 * commits and closes, a final "stopped" line is logged. Past the deadline it exits anyway with
 * code 5 and a line on stderr saying what was still pending (issue 11 point 8).
 */
import type { Config } from '../config/config.js'
import { openSink } from '../logging/sink.js'
import { createLogger } from '../logging/logger.js'
import { startServer, type ReceiptdServer } from '../main.js'
import { banner } from './banner.js'
import { EXIT } from './exit-codes.js'

export async function serve(
  config: Config,
  fail: (e: unknown) => never,
  fixturesFile?: string,
): Promise<void> {
  const out = openSink(1, { maxBufferBytes: config.log.bufferBytes })
  const logger = createLogger(config.log.level, { format: config.log.format, sink: out })
  const startedMs = Date.now()
  let server: ReceiptdServer
  try {
    server = await startServer(config, { logger, ...(fixturesFile !== undefined && { fixturesFile }) })
  } catch (e) {
    fail(e)
  }
  if (server.devApp !== undefined) out.write(banner(server.url, server.devApp, config, server.keySource))

  /** stderr without ever blocking: a reader that stopped reading costs the line, not the exit. */
  const stderr = (line: string) => openSink(2).write(line)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) {
      stderr(
        `receiptd: second ${signal}: exiting without waiting for ${describe(server, out) || 'nothing'}\n`,
      )
      process.exit(EXIT.shutdown)
    }
    stopping = true
    const deadlineMs = config.server.shutdownTimeoutMs
    logger.info({ signal, deadlineMs }, 'shutting down: finishing requests in flight')
    const deadline = setTimeout(() => {
      stderr(
        `receiptd: shutdown did not finish within ${deadlineMs} ms (server.shutdownTimeoutMs); ` +
          `still pending: ${describe(server, out) || 'nothing named'}\n`,
      )
      process.exit(EXIT.shutdown)
    }, deadlineMs)
    const finish = (code: number) => {
      // Waits for the log to be written; the deadline above cuts this short.
      logger.flush(() => {
        clearTimeout(deadline)
        process.exit(code)
      })
    }
    server.close().then(
      () => {
        logger.info(
          { signal, uptimeSeconds: Math.round((Date.now() - startedMs) / 1000) },
          'receiptd stopped',
        )
        finish(EXIT.ok)
      },
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed')
        finish(EXIT.unexpected)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

function describe(server: ReceiptdServer, out: { pendingBytes: number }): string {
  const pending = server.pending()
  if (out.pendingBytes > 0) pending.push(`${out.pendingBytes} bytes of log output not yet written`)
  return pending.join('; ')
}
