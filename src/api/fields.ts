/**
 * Field decoders: each reads one field of a request body and either returns a typed value or throws
 * the exact Tencent code for that way of failing. Commands declare their fields with these, so the
 * code for "missing", "wrong type" and "bad value" of every field is stated in one place, in order.
 */
import { checkUserId, type UserId } from '../domain/accounts/user-id.js'
import { checkMsgBody, type MsgElement } from '../domain/c2c/msg-body.js'
import { TencentError, type Code } from '../domain/codes.js'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

/** Reads `name` from `body`. `present` is false for an absent key or a JSON null. */
export interface Field<T> {
  read(body: JsonObject, name: string): T
}

export type FieldType<F> = F extends Field<infer T> ? T : never

/** Own properties only: `__proto__` or `constructor` in a body are plain data, never inherited. */
export function own(body: JsonObject, name: string): Json | undefined {
  if (!Object.hasOwn(body, name)) return undefined
  const v = body[name]
  return v === null ? undefined : v
}

function field<T>(decode: (value: Json | undefined, name: string) => T): Field<T> {
  return { read: (body, name) => decode(own(body, name), name) }
}

const fail = (code: Code, text: string): never => {
  throw new TencentError(code, text)
}

interface Codes {
  /** The field is absent. */
  missing: Code
  /** The field has the wrong JSON type or an unacceptable value; defaults to `missing`. */
  invalid?: Code
}

/** A UserID: a JSON string (60015 otherwise, spec §1.7) that passes `checkUserId`. */
function userId(codes: Codes): Field<UserId> {
  return field((v, name) => {
    if (v === undefined) return fail(codes.missing, `${name} is missing`)
    if (typeof v !== 'string') return fail(60015, `${name} must be a string`)
    const check = checkUserId(v)
    if (!check.ok) return fail(codes.invalid ?? codes.missing, `${name} ${check.reason}`)
    return check.userId
  })
}

function string(codes: Codes & { maxBytes?: number; tooLong?: Code; allowEmpty?: boolean }): Field<string> {
  return field((v, name) => {
    if (v === undefined) return fail(codes.missing, `${name} is missing`)
    if (typeof v !== 'string') return fail(codes.invalid ?? codes.missing, `${name} must be a string`)
    if (!codes.allowEmpty && v.length === 0) return fail(codes.invalid ?? codes.missing, `${name} is empty`)
    if (codes.maxBytes !== undefined && Buffer.byteLength(v, 'utf8') > codes.maxBytes) {
      return fail(
        codes.tooLong ?? codes.invalid ?? codes.missing,
        `${name} is longer than ${codes.maxBytes} bytes`,
      )
    }
    return v
  })
}

/**
 * A whole number in [min, max]. Numeric strings are accepted too: SDKs disagree on which fields
 * are strings (design.md decision 2).
 */
function int(codes: Codes & { min?: number; max?: number }): Field<number> {
  const min = codes.min ?? 0
  const max = codes.max ?? Number.MAX_SAFE_INTEGER
  return field((v, name) => {
    if (v === undefined) return fail(codes.missing, `${name} is missing`)
    const n = typeof v === 'string' && /^\s*-?\d{1,16}\s*$/.test(v) ? Number(v) : v
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
      return fail(codes.invalid ?? codes.missing, `${name} must be an integer`)
    }
    if (n < min || n > max)
      return fail(codes.invalid ?? codes.missing, `${name} must be from ${min} to ${max}`)
    return n
  })
}

/** An array whose items are decoded by `item` (called with the item and its index). */
function array<T>(
  codes: Codes & { maxItems?: number; tooMany?: Code; minItems?: number },
  item: (value: Json, at: string) => T,
): Field<T[]> {
  return field((v, name) => {
    if (v === undefined) return fail(codes.missing, `${name} is missing`)
    if (!Array.isArray(v)) return fail(codes.invalid ?? codes.missing, `${name} must be an array`)
    if (v.length < (codes.minItems ?? 0)) {
      return fail(codes.invalid ?? codes.missing, `${name} must have at least ${codes.minItems} item(s)`)
    }
    if (codes.maxItems !== undefined && v.length > codes.maxItems) {
      return fail(
        codes.tooMany ?? codes.invalid ?? codes.missing,
        `${name} has more than ${codes.maxItems} items`,
      )
    }
    return v.map((x, i) => item(x, `${name}[${i}]`))
  })
}

/** Makes a field optional: absent (or null) gives `undefined`; present values are still checked. */
function optional<T>(inner: Field<T>): Field<T | undefined> {
  return { read: (body, name) => (own(body, name) === undefined ? undefined : inner.read(body, name)) }
}

/** Reads the first present of several names, for legacy spellings (design.md decision 3). */
function alias<T>(names: readonly string[], inner: Field<T>): Field<T> {
  return {
    read(body, name) {
      const present = [name, ...names].find((n) => own(body, n) !== undefined) ?? name
      return inner.read(body, present)
    },
  }
}

/** A nested object decoded by its own fields; `invalid` when it is not an object. */
function object<S extends Record<string, Field<unknown>>>(
  codes: Codes,
  fields: S,
): Field<{ [K in keyof S]: FieldType<S[K]> }> {
  return field((v, name) => {
    if (v === undefined) return fail(codes.missing, `${name} is missing`)
    if (typeof v !== 'object' || Array.isArray(v))
      return fail(codes.invalid ?? codes.missing, `${name} must be an object`)
    return readFields(v as JsonObject, fields)
  })
}

/** A list of strings, such as `SendMsgControl`; unknown values are the command's to ignore. */
function strings(codes: Codes): Field<string[]> {
  return array(codes, (item, at) => {
    if (typeof item !== 'string') return fail(codes.invalid ?? codes.missing, `${at} must be a string`)
    return item
  })
}

/**
 * A C2C `MsgBody` (spec §4.1): 90007 when it is not an array, 90002/90010 for its elements
 * (`domain/c2c/msg-body.ts`); absent is `missing`.
 */
function msgBody(codes: { missing: Code }): Field<MsgElement[]> {
  return field((v, name) => {
    if (v === undefined) return fail(codes.missing, `${name} is missing`)
    const check = checkMsgBody(v)
    if (!check.ok) return fail(check.code, check.reason)
    return check.body
  })
}

/** Decodes `body` with `fields`, in declared order; the first failure decides the answer. */
export function readFields<S extends Record<string, Field<unknown>>>(
  body: JsonObject,
  fields: S,
): { [K in keyof S]: FieldType<S[K]> } {
  const out: Record<string, unknown> = {}
  for (const [name, f] of Object.entries(fields)) out[name] = f.read(body, name)
  return out as { [K in keyof S]: FieldType<S[K]> }
}

export const f = { userId, string, int, array, optional, alias, object, strings, msgBody }
