// The console's link to receiptd: the signed-in admin (kept for this browser tab only), calls to
// /api with the admin UserSig in the query as every /api call takes it, the live event stream,
// and a tiny DOM builder that never parses data as HTML.

const KEY = 'receiptd.console'

/** Sign-in from a link's fragment (`#sdkappid=…&identifier=…&usersig=…`), never sent to a server. */
export function takeCredentialsFromHash() {
  const h = new URLSearchParams(location.hash.replace(/^#\/?/, ''))
  if (!h.get('sdkappid') || !h.get('usersig')) return false
  saveCredentials({
    sdkAppId: h.get('sdkappid'),
    identifier: h.get('identifier') || 'administrator',
    usersig: h.get('usersig'),
  })
  history.replaceState(null, '', location.pathname + (h.get('to') ? '#' + h.get('to') : '#/accounts'))
  return true
}

export function saveCredentials(c) {
  sessionStorage.setItem(KEY, JSON.stringify(c))
}

export function credentials() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null')
  } catch {
    return null
  }
}

export function signOut() {
  sessionStorage.removeItem(KEY)
}

function signed(c) {
  return `sdkappid=${encodeURIComponent(c.sdkAppId)}&identifier=${encodeURIComponent(c.identifier)}&usersig=${encodeURIComponent(c.usersig)}`
}

export class ApiError extends Error {
  constructor(code, info) {
    super(`${code}: ${info}`)
    this.code = code
  }
}

/** Calls `/api/apps/<app>/<path>`; resolves to the envelope's fields, rejects with ApiError. */
export async function api(path, query = {}, init = {}) {
  const c = credentials()
  const q = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('')
  const res = await fetch(`/api/apps/${encodeURIComponent(c.sdkAppId)}/${path}?${signed(c)}${q}`, init)
  const type = res.headers.get('content-type') || ''
  if (!type.includes('application/json')) return { text: await res.text(), type }
  const body = await res.json()
  if (body.ErrorCode !== undefined && body.ErrorCode !== 0) throw new ApiError(body.ErrorCode, body.ErrorInfo)
  return body
}

/** A URL of `path` signed for the current admin, for links (export downloads). */
export function signedUrl(path, query = {}) {
  const c = credentials()
  const q = new URLSearchParams(query).toString()
  return `/api/apps/${encodeURIComponent(c.sdkAppId)}/${path}?${signed(c)}${q ? '&' + q : ''}`
}

/** Calls `onChange` when the app's data may have changed; reconnects by itself. */
export function watch(onChange, onState) {
  const c = credentials()
  const source = new EventSource(`/api/apps/${encodeURIComponent(c.sdkAppId)}/events?${signed(c)}`)
  source.addEventListener('ready', () => onState(true))
  source.addEventListener('change', () => onChange())
  source.onerror = () => onState(false)
  return () => source.close()
}

/** `h('td', { class: 'x', onclick }, 'text', child)`: text is always text. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else if (k === 'dataset') Object.assign(el.dataset, v)
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (k === 'style') el.style.cssText = v
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue
    el.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
  return el
}

export const time = (seconds) =>
  seconds ? new Date(seconds * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC') : '—'

export const timeMs = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC') : '—')

/** The text of a MsgBody, for a table cell. */
export function bodyText(body) {
  if (!Array.isArray(body)) return JSON.stringify(body)
  return body
    .map((e) => (e && e.MsgType === 'TIMTextElem' ? e.MsgContent?.Text : `[${e?.MsgType ?? '?'}]`))
    .join(' ')
}
