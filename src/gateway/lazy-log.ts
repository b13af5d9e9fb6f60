/**
 * A per-request logger made only when something is logged: most requests log nothing but their
 * access line, and a pino child per request would be made for nothing.
 */
import type { Logger } from 'pino'
import type { Log } from '../log.js'

type Args = Parameters<Logger['info']>

class LazyChild {
  readonly #parent: Logger
  readonly #bindings: Record<string, unknown>
  #child: Logger | undefined

  constructor(parent: Logger, bindings: Record<string, unknown>) {
    this.#parent = parent
    this.#bindings = bindings
  }

  get #log(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings))
  }

  fatal(...args: Args): void {
    this.#log.fatal(...args)
  }
  error(...args: Args): void {
    this.#log.error(...args)
  }
  warn(...args: Args): void {
    this.#log.warn(...args)
  }
  info(...args: Args): void {
    this.#log.info(...args)
  }
  debug(...args: Args): void {
    this.#log.debug(...args)
  }
  trace(...args: Args): void {
    this.#log.trace(...args)
  }
}

export function lazyChild(logger: Logger, bindings: Record<string, unknown>): Log {
  return new LazyChild(logger, bindings) as unknown as Log
}
