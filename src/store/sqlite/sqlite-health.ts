/**
 * Whether the SQLite store can write. A write that fails for a reason of the store itself (disk
 * full, I/O error, a file that cannot be opened or written, a corrupt database) makes the store
 * unhealthy until a later write commits, so /healthz can say why writes fail (issue 11 point 5).
 * Failures that are the request's own (a constraint, a value too big) say nothing about the store.
 */

/** SQLite result codes (primary, so extended codes such as SQLITE_IOERR_WRITE match) of the store. */
const STORE_FAULTS = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_NOMEM',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_PROTOCOL',
  'SQLITE_PERM',
  'SQLITE_NOLFS',
]

export function isStoreFault(e: unknown): e is Error & { code: string } {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && STORE_FAULTS.some((c) => code === c || code.startsWith(`${c}_`))
}

export class WriteHealth {
  #failure: string | undefined

  /** Records `e` when it is a fault of the store. */
  failed(e: unknown): void {
    if (isStoreFault(e)) this.#failure = `${e.code}: ${e.message}`
  }

  /** A write committed: the store writes again. */
  committed(): void {
    this.#failure = undefined
  }

  /** Why writes fail, or undefined while they work. */
  get failure(): string | undefined {
    return this.#failure
  }
}
