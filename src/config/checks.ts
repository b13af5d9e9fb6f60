/**
 * The value checks every config section shares. Each failure is a `ConfigError` whose message starts
 * with the exact key, so a bad file or variable is found without reading code.
 */

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

export type Obj = Record<string, unknown>

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export function checkKeys(o: Obj, at: string, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        `${at ? at + '.' : ''}${key}: unknown setting (expected one of ${allowed.join(', ')})`,
      )
    }
  }
}

export function int(v: unknown, at: string, min: number, max: number): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${at}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`)
  }
  return n
}

export function str(v: unknown, at: string, { allowEmpty = false } = {}): string {
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) {
    throw new ConfigError(`${at}: expected a non-empty string, got ${JSON.stringify(v)}`)
  }
  return v
}

export function bool(v: unknown, at: string): boolean {
  if (typeof v === 'boolean') return v
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0' || v === '') return false
  throw new ConfigError(`${at}: expected true or false, got ${JSON.stringify(v)}`)
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(v: unknown, at: string, allowed: readonly T[]): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T
  throw new ConfigError(`${at}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`)
}
