/**
 * Reads `/v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json` (spec §1.1).
 * Parameter names and values are case-sensitive. A query string that cannot be decoded, or that
 * repeats a parameter, is 60002; the path is resolved by the gateway against the command table.
 */
import { TencentError } from '../domain/codes.js'

export interface V4Url {
  service: string
  command: string
  sdkAppIdRaw: string | undefined
  identifier: string
  usersig: string
  random: string | undefined
}

const PARAMS = ['sdkappid', 'identifier', 'usersig', 'random', 'contenttype'] as const

/** Splits the path; undefined when it is not `/v4/<service>/<command>`. */
export function parseV4Path(path: string): { service: string; command: string } | undefined {
  const m = /^\/v4\/([A-Za-z0-9_]+)\/([A-Za-z0-9_]+)\/?$/.exec(path)
  return m ? { service: m[1]!, command: m[2]! } : undefined
}

function decode(s: string): string {
  // Usersigs use `*-_` precisely so they need no escaping: most queries take this fast path.
  if (!s.includes('%') && !s.includes('+')) return s
  return decodeURIComponent(s.replace(/\+/g, ' '))
}

export function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>()
  if (query === '') return params
  for (const part of query.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    let name: string
    let value: string
    try {
      name = decode(eq < 0 ? part : part.slice(0, eq))
      value = eq < 0 ? '' : decode(part.slice(eq + 1))
    } catch {
      throw new TencentError(60002, 'the query string is not valid percent-encoding')
    }
    if ((PARAMS as readonly string[]).includes(name) && params.has(name)) {
      throw new TencentError(60002, `the query parameter ${name} is given more than once`)
    }
    params.set(name, value)
  }
  return params
}

/** Checks the parameters that only need syntax; sdkappid and usersig are checked by the gateway. */
export function readV4Params(params: Map<string, string>): Omit<V4Url, 'service' | 'command'> {
  const random = params.get('random')
  if (random !== undefined && random !== '' && !/^\d{1,20}$/.test(random)) {
    throw new TencentError(60002, 'random must be an unsigned integer')
  }
  const contentType = params.get('contenttype')
  if (contentType !== undefined && contentType !== '' && contentType !== 'json') {
    throw new TencentError(60002, 'contenttype must be json')
  }
  return {
    sdkAppIdRaw: params.get('sdkappid'),
    identifier: params.get('identifier') ?? '',
    usersig: params.get('usersig') ?? '',
    random,
  }
}
