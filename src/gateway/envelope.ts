/**
 * The only writer of `ActionStatus`, `ErrorCode` and `ErrorInfo` (spec §1.3). Business errors are
 * always HTTP 200 with this envelope; the API-specific fields sit beside it at the top level.
 */
import type { CallbackCode, Code } from '../domain/codes.js'

export interface Envelope {
  ActionStatus: 'OK' | 'FAIL' | 'SomeError'
  ErrorInfo: string
  ErrorCode: number
  [field: string]: unknown
}

export function ok(
  fields: Record<string, unknown> = {},
  status: 'OK' | 'SomeError' = 'OK',
  info = '',
): Envelope {
  return { ActionStatus: status, ErrorInfo: info, ErrorCode: 0, ...fields }
}

export function failure(code: Code | CallbackCode, info: string): Envelope {
  return { ActionStatus: 'FAIL', ErrorInfo: info, ErrorCode: code }
}
