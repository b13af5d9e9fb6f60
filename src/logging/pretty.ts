/**
 * Human-readable log lines for a terminal (`--log-format pretty`): time, level, message, then the
 * fields as `key=value`; a request reads `POST /v4/openim/sendmsg 200 code=0 1.2 ms`. An error's
 * stack follows on indented lines. Colours only when writing to a terminal.
 */
const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
}
const RESET = '\x1b[0m'
const DIM = '\x1b[2m'
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname'])

function clock(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)
  return JSON.stringify(v)
}

/** One JSON line from pino → one readable line (plus a stack, if any). */
export function prettyLine(json: string, colors: boolean): string {
  let o: Record<string, unknown>
  try {
    o = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json
  }
  const [name, color] = LEVELS[Number(o.level)] ?? ['LOG  ', '']
  const c = (code: string, s: string) => (colors ? `${code}${s}${RESET}` : s)
  let head = `${c(DIM, clock(Number(o.time)))} ${c(color, name)} `
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (!HIDDEN.has(k) && v !== undefined) rest[k] = v
  if (o.msg === 'request') {
    head += `${rest.method} ${rest.path} ${rest.status}`
    if (rest.code !== undefined) head += ` code=${rest.code}`
    if (rest.command !== undefined) head += ` ${rest.command}`
    head += ` ${rest.ms} ms`
    for (const k of ['method', 'path', 'status', 'code', 'command', 'ms']) delete rest[k]
  } else head += String(o.msg ?? '')
  let stack = ''
  const err = rest.err as { stack?: string; message?: string } | undefined
  if (err && typeof err === 'object') {
    delete rest.err
    rest.error = err.message
    if (err.stack)
      stack =
        '\n' +
        err.stack
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')
  }
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${value(v)}`)
  return `${head}${fields.length ? '  ' + c(DIM, fields.join(' ')) : ''}${stack}\n`
}
