/**
 * The process logger: pino, writing JSON lines or readable ones (`log.format`) into a bounded sink
 * (sink.ts) that drops and counts what a stalled destination cannot take, and warns with the count
 * once it can write again. Secret keys and usersigs are never passed to it: the access log takes
 * named fields only, so no per-line redaction is needed.
 */
import { isatty } from 'node:tty'
import pino, { type DestinationStream, type Logger } from 'pino'
import type { LogFormat } from '../config/config.js'
import { prettyLine } from './pretty.js'
import { openSink, type LogSink } from './sink.js'

export interface LoggerOptions {
  /** `auto` (the default): pretty when stdout is a terminal, else JSON. */
  format?: LogFormat | undefined
  /** Where lines go; stdout's sink by default. */
  sink?: LogSink | undefined
}

const nowhere: DestinationStream = { write: () => undefined }

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  if (level === 'silent') return pino({ level }, nowhere)
  const sink = options.sink ?? openSink(1)
  const terminal = options.sink === undefined && isatty(1)
  const format =
    options.format === undefined || options.format === 'auto'
      ? terminal
        ? 'pretty'
        : 'json'
      : options.format
  const destination =
    format === 'pretty'
      ? { write: (line: string) => void sink.write(prettyLine(line, terminal)), flush: sink.flush.bind(sink) }
      : { write: (line: string) => void sink.write(line), flush: sink.flush.bind(sink) }
  const logger = pino({ level, base: { pid: process.pid } }, destination)
  sink.configure({
    onDropped: (count: number) =>
      logger.warn({ dropped: count }, `${count} log lines were dropped: the log destination did not keep up`),
  })
  return logger
}
