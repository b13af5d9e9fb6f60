/**
 * Where log lines go: stdout (or stderr), written so that a destination that stops reading can
 * never hold the server (issue 11 point 8).
 *
 * - A pipe or socket (a log shipper, `| tee`, a container runtime) is written through a
 *   non-blocking socket on the event loop. A blocking write would either stall the event loop or,
 *   done on the thread pool as pino's async mode does, leave a write the process cannot exit past.
 * - A regular file is written with asynchronous appends, one at a time.
 * - A terminal, or /dev/null, is written as Node writes stdout.
 *
 * Whatever the kind, at most `maxBufferBytes` wait to be written; lines past that are dropped and
 * counted, and once the backlog has drained `onDropped` is told how many were lost, so the owner
 * can log a warning with the count.
 */
import { fstatSync, write as fsWrite } from 'node:fs'
import { Socket } from 'node:net'
import { isatty } from 'node:tty'

export interface LogSink {
  /** Queues `text`; false when it was dropped because the backlog is full. */
  write(text: string): boolean
  /** Bytes accepted but not yet written. */
  readonly pendingBytes: number
  /** Lines dropped since the last `onDropped`. */
  readonly dropped: number
  /** Calls `cb` once everything queued is written, or after `timeoutMs` with false. */
  flush(cb: (err?: Error) => void): void
  flushWithin(timeoutMs: number): Promise<boolean>
  /** Changes the options of a sink already open. */
  configure(options: SinkOptions): void
}

export interface SinkOptions {
  maxBufferBytes?: number
  /** Called when writing works again after lines were dropped. */
  onDropped?: (count: number) => void
}

export const DEFAULT_LOG_BUFFER_BYTES = 4 * 1024 * 1024

/** A writer of raw bytes that says how much is still queued and when the queue empties. */
interface Writer {
  write(text: string): void
  readonly queued: number
  onEmpty(cb: () => void): void
}

const open = new Map<number, BoundedSink>()

/**
 * The sink of `fd`, opened once per process (two handles on one descriptor would fight over it);
 * a later call changes its options.
 */
export function openSink(fd: number, options: SinkOptions = {}): LogSink {
  let sink = open.get(fd)
  if (sink === undefined) {
    sink = new BoundedSink(writerFor(fd), options)
    open.set(fd, sink)
  } else sink.configure(options)
  return sink
}

function writerFor(fd: number): Writer {
  let stat
  try {
    stat = fstatSync(fd)
  } catch {
    return nullWriter
  }
  if (stat.isFIFO() || stat.isSocket()) return socketWriter(fd)
  if (stat.isFile()) return fileWriter(fd)
  if (isatty(fd)) return streamWriter(fd === 2 ? process.stderr : process.stdout)
  // A character device that is not a terminal (/dev/null): writes never wait.
  return streamWriter(fd === 2 ? process.stderr : process.stdout)
}

const nullWriter: Writer = { write: () => undefined, queued: 0, onEmpty: (cb) => cb() }

function socketWriter(fd: number): Writer {
  // libuv opens the pipe non-blocking; Node restores the descriptor's flags when the process exits.
  const socket = new Socket({ fd, readable: false, writable: true })
  // As Node does for process.stdout: destroying the stream must never close the descriptor, or
  // the next file opened could take its number and receive the log.
  socket._destroy = (err, cb) => cb(err)
  let broken = false
  // A reader that went away (EPIPE) ends logging, not the process.
  socket.on('error', () => {
    broken = true
    socket.emit('drain')
  })
  socket.unref()
  return {
    write: (text) => {
      if (!broken) socket.write(text)
    },
    get queued() {
      return broken ? 0 : socket.writableLength
    },
    onEmpty: (cb) => {
      if (broken || socket.writableLength === 0) cb()
      else socket.once('drain', cb)
    },
  }
}

function fileWriter(fd: number): Writer {
  const queue: string[] = []
  let queued = 0
  let busy = false
  let waiters: (() => void)[] = []
  const next = () => {
    if (queue.length === 0) {
      busy = false
      const w = waiters
      waiters = []
      for (const cb of w) cb()
      return
    }
    busy = true
    const text = queue.join('')
    queue.length = 0
    const bytes = Buffer.from(text)
    fsWrite(fd, bytes, 0, bytes.length, null, () => {
      queued -= text.length
      next()
    })
  }
  return {
    write: (text) => {
      queue.push(text)
      queued += text.length
      if (!busy) next()
    },
    get queued() {
      return queued
    },
    onEmpty: (cb) => {
      if (!busy) cb()
      else waiters.push(cb)
    },
  }
}

function streamWriter(stream: NodeJS.WriteStream): Writer {
  return {
    write: (text) => void stream.write(text),
    get queued() {
      return stream.writableLength
    },
    onEmpty: (cb) => {
      if (stream.writableLength === 0) cb()
      else stream.once('drain', cb)
    },
  }
}

class BoundedSink implements LogSink {
  readonly #writer: Writer
  #max: number
  #onDropped: ((count: number) => void) | undefined
  #dropped = 0
  #watching = false

  constructor(writer: Writer, options: SinkOptions) {
    this.#writer = writer
    this.#max = options.maxBufferBytes ?? DEFAULT_LOG_BUFFER_BYTES
    this.#onDropped = options.onDropped
  }

  configure(options: SinkOptions): void {
    this.#max = options.maxBufferBytes ?? this.#max
    this.#onDropped = options.onDropped ?? this.#onDropped
  }

  get pendingBytes(): number {
    return this.#writer.queued
  }

  get dropped(): number {
    return this.#dropped
  }

  write(text: string): boolean {
    if (this.#writer.queued + text.length > this.#max) {
      this.#dropped++
      this.#watch()
      return false
    }
    this.#writer.write(text)
    return true
  }

  flush(cb: (err?: Error) => void): void {
    this.#writer.onEmpty(() => cb())
  }

  flushWithin(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      timer.unref()
      this.#writer.onEmpty(() => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  /** Once the backlog is written, reports how many lines were lost meanwhile. */
  #watch(): void {
    if (this.#watching) return
    this.#watching = true
    this.#writer.onEmpty(() => {
      this.#watching = false
      const count = this.#dropped
      this.#dropped = 0
      if (count > 0) this.#onDropped?.(count)
    })
  }
}
