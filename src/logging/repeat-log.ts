/**
 * Repeated identical failures are logged once per interval with a count (issue 11 point 5): the
 * first occurrence of a key is logged at once, in full; the ones after it within the interval are
 * counted, and one line at the end of the interval says how many there were. A full disk that
 * fails every write then costs a line every 10 s instead of a stack per request.
 */
import type { Log } from '../log.js'

type Level = 'error' | 'warn'

interface Seen {
  level: Level
  fields: Record<string, unknown>
  msg: string
  repeats: number
  timer: NodeJS.Timeout | undefined
}

/** Keys kept at once; past it the oldest is forgotten (its next occurrence is logged in full). */
const MAX_KEYS = 1000

export class RepeatLog {
  readonly #log: Log
  readonly #intervalMs: number
  readonly #seen = new Map<string, Seen>()

  constructor(log: Log, intervalMs = 10_000) {
    this.#log = log
    this.#intervalMs = intervalMs
  }

  error(key: string, fields: Record<string, unknown>, msg: string): void {
    this.#note('error', key, fields, msg)
  }

  warn(key: string, fields: Record<string, unknown>, msg: string): void {
    this.#note('warn', key, fields, msg)
  }

  /** Writes the counts still open (at shutdown). */
  flush(): void {
    for (const key of [...this.#seen.keys()]) this.#close(key)
  }

  #note(level: Level, key: string, fields: Record<string, unknown>, msg: string): void {
    const seen = this.#seen.get(key)
    if (seen !== undefined) {
      seen.repeats++
      seen.fields = fields
      return
    }
    if (this.#seen.size >= MAX_KEYS) this.#close(this.#seen.keys().next().value!)
    this.#log[level](fields, msg)
    const timer = setTimeout(() => this.#close(key), this.#intervalMs).unref()
    this.#seen.set(key, { level, fields, msg, repeats: 0, timer })
  }

  #close(key: string): void {
    const seen = this.#seen.get(key)
    if (seen === undefined) return
    clearTimeout(seen.timer)
    this.#seen.delete(key)
    if (seen.repeats > 0) {
      const { err: _err, ...rest } = seen.fields
      this.#log[seen.level](
        { ...rest, repeated: seen.repeats, intervalMs: this.#intervalMs },
        `${seen.msg} (repeated ${seen.repeats} more times)`,
      )
    }
  }
}

/** A key that is the same for the same failure: its code or name and its message. */
export function failureKey(where: string, e: unknown): string {
  if (e instanceof Error) return `${where}:${(e as { code?: string }).code ?? e.name}:${e.message}`
  return `${where}:${String(e)}`
}
