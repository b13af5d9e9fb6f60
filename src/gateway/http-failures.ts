/**
 * Answers to requests that fail before any route sees them: what Node's HTTP parser refuses
 * (oversized URL or headers, unknown methods, bare CR, bad chunking), requests that time out, and
 * CONNECT or Upgrade requests. Each gets the envelope with a documented code (docs/errors.md
 * "Transport") and an HTTP status saying what happened, then the connection is closed: after a
 * parse error the rest of the bytes cannot be trusted to start a new request (RFC 9112 §9.3).
 */
import type { Code } from '../domain/codes.js'
import { failure, type Envelope } from './envelope.js'

/** Node's limit on the request line and headers together (`--max-http-header-size`). */
const HEADER_LIMIT_BYTES = 16 * 1024

export interface HttpFailure {
  status: number
  envelope: Envelope
}

/** Node's parser codes (llhttp `HPE_*`) and timeouts → status and envelope. */
export function describeClientError(
  error: Error & { code?: string; rawPacket?: Buffer },
  timeoutMs: number,
): HttpFailure {
  const answer = (status: number, code: Code, info: string): HttpFailure => ({
    status,
    envelope: failure(code, info),
  })
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return answer(408, 60008, `the request did not arrive within ${timeoutMs} ms`)
    case 'HPE_HEADER_OVERFLOW': {
      // The URL counts against the same limit as the headers: it is to blame when the request
      // line alone takes more than half of it (or has not even ended).
      const lineEnd = error.rawPacket?.indexOf(0x0a) ?? -1
      return lineEnd >= 0 && lineEnd < HEADER_LIMIT_BYTES / 2
        ? answer(431, 60008, 'the request headers are too large')
        : answer(414, 60002, 'the request URL is too long')
    }
    case 'HPE_INVALID_METHOD':
      // RFC 9110 §9.1: a method the server does not recognise is 501.
      return answer(501, 60002, 'the HTTP method is not supported: use POST')
    case 'HPE_INVALID_URL':
      return answer(400, 60002, 'the request URL is malformed')
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return answer(400, 60008, 'malformed HTTP request: the body framing is invalid')
    default:
      return answer(400, 60008, 'malformed HTTP request')
  }
}

/** A whole HTTP/1.1 response as bytes, for a socket no `ServerResponse` can write to. */
export function rawResponse(failure: HttpFailure, headers: Record<string, string>): string {
  const body = JSON.stringify(failure.envelope)
  const lines = [`HTTP/1.1 ${failure.status} ${REASONS[failure.status] ?? 'Error'}`]
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  lines.push(
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  )
  return lines.join('\r\n') + '\r\n\r\n' + body
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
}
