/**
 * What an inspection call receives once the gateway has checked its caller: the app, the query
 * and path parameters, the body. Parameter readers throw 60002 with the parameter's name, as the
 * rest of receiptd's /api does (docs/errors.md "receiptd's own API").
 */
import type { AppConfig } from '../config/config.js'
import { TencentError } from '../domain/codes.js'
import type { Log } from '../log.js'

export interface InspectRequest {
  app: AppConfig
  query: ReadonlyMap<string, string>
  params: Readonly<Record<string, string>>
  body: Buffer | undefined
  log: Log
}

export const DEFAULT_PAGE = 20
export const MAX_PAGE = 200

export function pageSize(q: ReadonlyMap<string, string>, max = MAX_PAGE): number {
  return optionalInt(q, 'limit', 1, max) ?? Math.min(DEFAULT_PAGE, max)
}

export function optionalInt(
  q: ReadonlyMap<string, string>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = q.get(name)
  if (v === undefined || v === '') return undefined
  const n = /^\d{1,16}$/.test(v) ? Number(v) : NaN
  if (!(n >= min && n <= max))
    throw new TencentError(60002, `${name} must be a whole number from ${min} to ${max}`)
  return n
}

export function param(r: InspectRequest, name: string): string {
  const v = r.params[name]
  if (v === undefined || v === '') throw new TencentError(60002, `${name} is missing from the path`)
  return v
}

/**
 * Opaque paging cursors: the position after the last item shown, as base64url JSON. A cursor this
 * server did not write answers 60002.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')
}

export function decodeCursor<T>(
  q: ReadonlyMap<string, string>,
  check: (v: unknown) => v is T,
): T | undefined {
  const raw = q.get('cursor')
  if (raw === undefined || raw === '' || raw === '0') return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  if (!check(value)) throw new TencentError(60002, 'cursor is not one this server wrote')
  return value
}

/** The paging fields of every list: `Cursor` "0" with `IsFinish` 1 on the last page. */
export function paging(more: boolean, last: unknown): { Cursor: string; IsFinish: 0 | 1 } {
  return more ? { Cursor: encodeCursor(last), IsFinish: 0 } : { Cursor: '0', IsFinish: 1 }
}

export const isString = (v: unknown): v is string => typeof v === 'string'
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)
