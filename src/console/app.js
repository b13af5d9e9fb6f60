// The console's shell: sign-in with an app's admin UserSig, the hash router, live refresh on the
// app's event stream, and the webhook and tool pages.
import {
  api,
  credentials,
  h,
  saveCredentials,
  signedUrl,
  signOut,
  takeCredentialsFromHash,
  timeMs,
  watch,
} from './api.js'
import { account, accounts, conversation } from './views.js'
import { group, groups, readers } from './group-views.js'
import { member, members } from './member-views.js'

const main = document.getElementById('main')

const routes = [
  [/^\/accounts$/, accounts],
  [/^\/accounts\/([^/]+)$/, account],
  [/^\/accounts\/([^/]+)\/([^/]+)$/, conversation],
  [/^\/groups$/, groups],
  [/^\/groups\/([^/]+)$/, group],
  [/^\/groups\/([^/]+)\/(\d+)$/, readers],
  [/^\/groups\/([^/]+)\/members$/, members],
  [/^\/groups\/([^/]+)\/members\/([^/]+)$/, member],
  [/^\/webhooks$/, webhooks],
  [/^\/webhooks\/(\d+)$/, delivery],
  [/^\/tools$/, tools],
]

let rendering = false
let again = false

async function render() {
  if (rendering) return void (again = true)
  rendering = true
  try {
    const [path, query] = (location.hash.slice(1) || '/accounts').split('?')
    const params = new URLSearchParams(query)
    for (const a of document.querySelectorAll('#nav a'))
      a.classList.toggle('active', path.startsWith(a.getAttribute('href').slice(1)))
    const match = routes.map(([re, view]) => [path.match(re), view]).find(([m]) => m)
    if (!match) return void (location.hash = '#/accounts')
    const [m, view] = match
    const node = await view(params, render, m.slice(1).map(decodeURIComponent))
    main.replaceChildren(node)
  } catch (e) {
    if (e.code === 70001 || e.code === 70009 || e.code === 60010 || e.code === 60006) {
      signOut()
      showLogin(`Sign-in refused: ${e.message}`)
    } else main.replaceChildren(h('p', { class: 'error' }, String(e.message || e)))
  } finally {
    rendering = false
    if (again) {
      again = false
      void render()
    }
  }
}

async function webhooks(params) {
  const status = params.get('status') ?? ''
  const page = await api('webhooks/deliveries', { status, limit: 50 })
  const filter = h(
    'select',
    { onchange: (e) => (location.hash = `#/webhooks?status=${e.target.value}`) },
    ['', 'pending', 'delivered', 'failed', 'skipped'].map((s) =>
      h('option', { value: s, selected: s === status }, s || 'any status'),
    ),
  )
  return h(
    'div',
    {},
    h('h1', {}, 'Webhook deliveries'),
    h('p', {}, filter, h('span', { class: 'muted' }, ' newest first; the 50 most recent')),
    h(
      'table',
      {},
      h(
        'tr',
        {},
        ['Id', 'Callback', 'Status', 'Attempts', 'Last HTTP', 'Last latency', 'Created'].map((x) =>
          h('th', {}, x),
        ),
      ),
      page.Deliveries.map((d) => {
        const last = d.Attempts.at(-1)
        return h(
          'tr',
          {
            class: 'link',
            dataset: { delivery: d.Id },
            onclick: () => (location.hash = `#/webhooks/${d.Id}`),
          },
          h('td', {}, d.Id),
          h('td', {}, d.CallbackCommand),
          h('td', {}, h('span', { class: `badge ${d.Status}` }, d.Status)),
          h('td', {}, d.Attempts.length),
          h('td', {}, last?.HttpStatus ?? last?.Error ?? '—'),
          h('td', {}, last ? `${Math.round(last.LatencyMs)} ms` : '—'),
          h('td', { class: 'muted' }, timeMs(d.CreatedMs)),
        )
      }),
    ),
  )
}

async function delivery(params, rerender, [id]) {
  const { Delivery: d } = await api(`webhooks/deliveries/${id}`)
  const retry = async () => {
    await api(`webhooks/deliveries/${id}/retry`, {}, { method: 'POST' })
    rerender()
  }
  return h(
    'div',
    {},
    h('h1', {}, `Delivery ${d.Id}: ${d.CallbackCommand}`),
    h(
      'p',
      {},
      h('span', { class: `badge ${d.Status}`, 'data-testid': 'delivery-status' }, d.Status),
      ' ',
      h('button', { onclick: retry, 'data-testid': 'retry' }, 'Retry now'),
    ),
    h('h2', {}, 'Body sent'),
    h('pre', {}, d.Body),
    h('h2', {}, 'Attempts'),
    h(
      'table',
      {},
      h(
        'tr',
        {},
        ['#', 'Time', 'HTTP', 'Latency', 'Error', 'POST to'].map((x) => h('th', {}, x)),
      ),
      d.Attempts.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, a.Attempt),
          h('td', { class: 'muted' }, timeMs(a.TimeMs)),
          h('td', {}, a.HttpStatus ?? '—'),
          h('td', {}, `${Math.round(a.LatencyMs)} ms`),
          h('td', {}, a.Error ?? ''),
          h('td', {}, h('code', {}, a.Url ?? '')),
        ),
      ),
    ),
  )
}

async function tools() {
  const out = h('pre', { 'data-testid': 'tool-output' }, '')
  const run = (fn) => async () => {
    try {
      out.textContent = JSON.stringify(await fn(), null, 2)
    } catch (e) {
      out.textContent = String(e.message || e)
    }
  }
  const fixtures = h('textarea', {
    placeholder: 'fixtures, YAML or JSON (docs/fixtures.md)',
    'data-testid': 'fixtures',
  })
  const file = h('input', {
    type: 'file',
    accept: '.yaml,.yml,.json',
    onchange: async (e) => (fixtures.value = await e.target.files[0].text()),
  })
  const reset = h('input', { type: 'checkbox', checked: true })
  return h(
    'div',
    {},
    h('h1', {}, 'Tools'),
    h('h2', {}, 'Recount'),
    h(
      'p',
      {},
      h('button', { onclick: run(() => api('recount', {}, { method: 'POST' })) }, 'Check every counter'),
      ' ',
      h(
        'button',
        { onclick: run(() => api('recount', { repair: 1 }, { method: 'POST' })) },
        'Check and repair',
      ),
    ),
    h('h2', {}, 'Test data (apps with testSupport)'),
    h(
      'p',
      {},
      fixtures,
      file,
      ' ',
      h('label', {}, reset, ' empty the app first'),
      ' ',
      h(
        'button',
        {
          'data-testid': 'load',
          onclick: run(() =>
            api('fixtures', { reset: reset.checked ? 1 : '' }, { method: 'POST', body: fixtures.value }),
          ),
        },
        'Load fixtures',
      ),
    ),
    h(
      'p',
      {},
      h(
        'a',
        { href: signedUrl('export', { format: 'yaml' }), download: 'receiptd-export.yaml' },
        'Export as YAML',
      ),
      ' · ',
      h('a', { href: signedUrl('export'), download: 'receiptd-export.json' }, 'Export as JSON'),
    ),
    h(
      'p',
      {},
      h(
        'button',
        {
          class: 'danger',
          'data-testid': 'reset',
          onclick: run(async () =>
            confirm(`Delete every account, message and group of app ${credentials().sdkAppId}?`)
              ? api('reset', {}, { method: 'POST' })
              : 'cancelled',
          ),
        },
        'Reset the app',
      ),
    ),
    out,
  )
}

function showLogin(message) {
  document.getElementById('nav').hidden = true
  document.getElementById('signout').hidden = true
  const f = (name, label, value = '') =>
    h('label', {}, label, h('br'), h('input', { name, value, required: true, style: 'width:100%' }))
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: (e) => {
        e.preventDefault()
        const d = new FormData(e.target)
        saveCredentials({
          sdkAppId: d.get('sdkappid').trim(),
          identifier: d.get('identifier').trim(),
          usersig: d.get('usersig').trim(),
        })
        start()
      },
    },
    h('strong', {}, 'Sign in with an admin UserSig of the app'),
    message && h('p', { class: 'error' }, message),
    f('sdkappid', 'SDKAppID', '1400000000'),
    f('identifier', 'Admin UserID', 'administrator'),
    f('usersig', 'UserSig (receiptd usersig administrator)'),
    h('button', {}, 'Sign in'),
  )
  main.replaceChildren(form)
}

let unwatch
function start() {
  const c = credentials()
  if (!c) return showLogin()
  document.getElementById('nav').hidden = false
  document.getElementById('signout').hidden = false
  document.getElementById('who').textContent = `app ${c.sdkAppId} · ${c.identifier}`
  const live = document.getElementById('live')
  unwatch?.()
  unwatch = watch(
    // The tools page holds what the user typed and the last answer: it is not redrawn live.
    () => void (location.hash.startsWith('#/tools') || render()),
    (on) => (
      (live.hidden = false),
      live.classList.toggle('off', !on),
      (live.textContent = on ? '● live' : '● reconnecting')
    ),
  )
  if (!location.hash || location.hash === '#') location.hash = '#/accounts'
  else void render()
}

document.getElementById('signout').addEventListener('click', () => {
  unwatch?.()
  signOut()
  showLogin()
})
window.addEventListener('hashchange', () => {
  if (takeCredentialsFromHash()) return start()
  if (credentials()) void render()
})
takeCredentialsFromHash()
start()
